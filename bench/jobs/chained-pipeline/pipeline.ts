/**
 * The functions of the chained-pipeline benchmark, shared by the job and the hand-written loop
 * it is compared with, so both do exactly the same per-record work.
 */
import type { SplitMixRandom } from 'sluice';

/** Seed of the datagen source. */
export const SEED = 42;

/** A generated event. */
export interface Purchase {
  readonly id: number;
  readonly user: number;
  readonly amount: number;
}

/** The mapped event. */
export interface PricedPurchase {
  readonly id: number;
  readonly user: number;
  readonly cents: number;
}

/** The datagen generator: a user id and an amount drawn from the record's own random sequence. */
export function generatePurchase(id: number, random: SplitMixRandom): Purchase {
  return { id, user: random.nextInt(10_000), amount: random.nextInt(100_000) / 100 };
}

/** The map function: amount in whole cents. */
export function toCents(p: Purchase): PricedPurchase {
  return { id: p.id, user: p.user, cents: Math.round(p.amount * 100) };
}

/** The filter function: keeps about two thirds of the records. */
export function keepPurchase(p: PricedPurchase): boolean {
  return p.cents % 3 !== 0;
}

/** What the counting sink sums, to check the job against the loop. */
export function purchaseChecksum(p: PricedPurchase): number {
  return p.id;
}
