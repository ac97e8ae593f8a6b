/**
 * The generator of the exchange-latency benchmark, shared by the job and the hand-written loop.
 */
import type { SplitMixRandom } from 'sluice';
import { wallClockMs } from '../support/wall-clock.ts';

/** Seed of the datagen source. */
export const SEED = 11;

/** A record stamped with the wall-clock time it was generated at. */
export interface TimedEvent {
  readonly id: number;
  readonly key: number;
  readonly created: number;
}

/**
 * The datagen generator. Stamping the time makes records differ between runs, which a real job
 * must avoid; here it is the point.
 */
export function generateTimedEvent(id: number, random: SplitMixRandom): TimedEvent {
  return { id, key: random.nextInt(100_000), created: wallClockMs() };
}

/** The key selector. */
export function keyOf(e: TimedEvent): number {
  return e.key;
}
