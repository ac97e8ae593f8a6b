/**
 * The functions of the keyed-exchange benchmark, shared by the job and the hand-written loop.
 */
import type { SplitMixRandom } from 'sluice';

/** Seed of the datagen source. */
export const SEED = 7;

/** A generated reading, keyed by sensor. */
export interface Reading {
  readonly id: number;
  readonly sensor: number;
  readonly value: number;
}

/** The datagen generator: one of 100 000 sensors and a value. */
export function generateReading(id: number, random: SplitMixRandom): Reading {
  return { id, sensor: random.nextInt(100_000), value: random.nextInt(1_000_000) };
}

/** The key selector. */
export function sensorOf(r: Reading): number {
  return r.sensor;
}

/** What the counting sink sums, to check the job against the loop. */
export function readingChecksum(r: Reading): number {
  return r.id;
}
