/**
 * The functions of the window-count benchmark, shared by the job and the hand-written loop:
 * events of 10 000 keys at 1 000 events per millisecond of event time, counted per key over 1 s
 * tumbling windows.
 */
import type { SplitMixRandom } from 'sluice';

/** Seed of the datagen source. */
export const SEED = 11;
/** Distinct keys. */
export const KEYS = 10_000;
/** Window size in ms. */
export const WINDOW_MS = 1_000;
/** Events per millisecond of event time. */
export const EVENTS_PER_MS = 1_000;
/** Event time of the first event. */
export const BASE_TS = 1_700_000_000_000;

/** A generated event. */
export interface Event {
  readonly ts: number;
  readonly key: number;
}

/** One window's count for one key. */
export interface WindowCount {
  readonly key: number;
  readonly start: number;
  readonly count: number;
}

/** The datagen generator. */
export function generateEvent(index: number, random: SplitMixRandom): Event {
  return { ts: BASE_TS + Math.floor(index / EVENTS_PER_MS), key: random.nextInt(KEYS) };
}
