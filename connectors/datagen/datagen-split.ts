/**
 * The split of a datagen source: an arithmetic sequence of record indexes.
 */
import type { SourceSplit } from '../../common/connector/source.ts';

/**
 * Record indexes `start, start + stride, ...` below `end`: split k of n owns k, k + n, k + 2n...
 * JSON-serializable, so "no end" is `null`.
 */
export interface DataGenSplit extends SourceSplit {
  readonly start: number;
  readonly end: number | null;
  readonly stride: number;
  /** The next index to generate, to resume from a checkpoint; absent means `start`. */
  readonly offset?: number;
}
