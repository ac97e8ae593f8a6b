/**
 * Configuration of a datagen source.
 */
import type { SplitMixRandom } from './split-mix-random.ts';

/**
 * Builds record `index`. `random` is already seeded from (seed, index): draw from it, do not
 * keep it. Must be a pure function of its arguments so that a record never depends on the
 * parallelism or on a restart.
 */
export type DataGenerator<T> = (index: number, random: SplitMixRandom) => T;

/** Default number of datagen splits. */
export const DEFAULT_DATAGEN_SPLITS = 8;

/** How a datagen source generates. */
export interface DataGenOptions<T> {
  /** Total number of records; the source is bounded when given, unbounded otherwise. */
  readonly count?: number;
  /**
   * Total rate of the whole source, across all subtasks. Each split gets an equal share, so a
   * subtask runs at `recordsPerSecond * ownSplits / numSplits`. Unlimited when absent.
   */
  readonly recordsPerSecond?: number;
  /** Seed of the generator's randomness; default 0. */
  readonly seed?: number;
  /** Number of splits (default 8); parallelism beyond it leaves subtasks without splits. */
  readonly numSplits?: number;
  /** Builds each record; by default the record is its index. */
  readonly generator?: DataGenerator<T>;
}

/** Rejects options that cannot work, with a message naming the option. */
export function checkDataGenOptions<T>(options: DataGenOptions<T>): void {
  const { count, recordsPerSecond, seed, numSplits } = options;
  if (count !== undefined && (!Number.isSafeInteger(count) || count < 0)) {
    throw new Error(`datagen: count must be a non-negative safe integer, got ${count}`);
  }
  if (recordsPerSecond !== undefined && !(recordsPerSecond > 0 && Number.isFinite(recordsPerSecond))) {
    throw new Error(`datagen: recordsPerSecond must be a positive finite number, got ${recordsPerSecond}`);
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new Error(`datagen: seed must be a safe integer, got ${seed}`);
  if (numSplits !== undefined && (!Number.isSafeInteger(numSplits) || numSplits < 1)) {
    throw new Error(`datagen: numSplits must be a positive integer, got ${numSplits}`);
  }
}
