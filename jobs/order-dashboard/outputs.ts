/** The records of the order-dashboard outputs, and how the per-minute ones are made. */
import type { QuantityAmount, MinuteSummary } from './minute-summary.ts';
import { compareIds, compareStrings, share, type Id } from './ranking.ts';

/** A minute's summary with its window. */
export interface MinuteWindow {
  window_start: number;
  window_end: number;
  summary: MinuteSummary;
}

/** `minute_sales`: the sales flow of one minute. */
export interface MinuteSales {
  window_start: number;
  window_end: number;
  amount_cents: number;
  quantity: number;
  orders: number;
}

/** An entry of `category_rank`. */
export interface CategoryEntry {
  category: string;
  quantity: number;
  amount_cents: number;
}

/** `category_rank`: every category of one minute. */
export interface CategoryRank {
  window_start: number;
  window_end: number;
  ranking: CategoryEntry[];
}

/** `totals`: cumulative amount and quantity. */
export interface Totals {
  as_of: number;
  amount_cents: number;
  quantity: number;
}

/** An entry of `brand_rank`. */
export interface BrandEntry {
  brand: string;
  quantity: number;
  amount_cents: number;
}

/** `brand_rank`: the top 10 brands by cumulative amount. */
export interface BrandRank {
  as_of: number;
  ranking: BrandEntry[];
}

/** An entry of `top_users`. */
export interface UserEntry {
  user_id: Id;
  user_name: string;
  amount_cents: number;
}

/** `top_users`: the top 10 users by cumulative amount. */
export interface TopUsers {
  as_of: number;
  top: UserEntry[];
}

/** One gender's part of `gender_share`. */
export interface GenderPart {
  amount_cents: number;
  share: number;
}

/** `gender_share`: the cumulative amount per gender and its share of the total. */
export interface GenderShare {
  as_of: number;
  M: GenderPart;
  F: GenderPart;
}

/** `gender_10min`: quantities per gender over a 10-minute window. */
export interface Gender10Min {
  window_start: number;
  window_end: number;
  M: number;
  F: number;
}

/** How many entries `brand_rank` and `top_users` list at most. */
export const TOP_N = 10;

/** The `minute_sales` record of a minute. */
export function minuteSales(minute: MinuteWindow): MinuteSales {
  const s = minute.summary;
  return { window_start: minute.window_start, window_end: minute.window_end, amount_cents: s.amount, quantity: s.quantity, orders: s.orders };
}

/** The `category_rank` record of a minute: by quantity descending, then category ascending. */
export function categoryRank(minute: MinuteWindow): CategoryRank {
  const ranking = Object.entries(minute.summary.categories).map(([key, [quantity, amount]]) => ({ category: key.slice(1), quantity, amount_cents: amount }));
  ranking.sort((a, b) => b.quantity - a.quantity || compareStrings(a.category, b.category));
  return { window_start: minute.window_start, window_end: minute.window_end, ranking };
}

/** The top brands of a cumulative table: by amount descending, then brand ascending. */
export function brandRanking(brands: Readonly<Record<string, QuantityAmount>>): BrandEntry[] {
  const ranking = Object.entries(brands).map(([key, [quantity, amount]]) => ({ brand: key.slice(1), quantity, amount_cents: amount }));
  ranking.sort((a, b) => b.amount_cents - a.amount_cents || compareStrings(a.brand, b.brand));
  return ranking.slice(0, TOP_N);
}

/** Orders users by amount descending, then `user_id` ascending. */
export function compareUsers(a: UserEntry, b: UserEntry): number {
  return b.amount_cents - a.amount_cents || compareIds(a.user_id, b.user_id);
}

/** The `gender_share` record for cumulative amounts per gender. */
export function genderShare(asOf: number, amountM: number, amountF: number): GenderShare {
  const total = amountM + amountF;
  return {
    as_of: asOf,
    M: { amount_cents: amountM, share: share(amountM, total) },
    F: { amount_cents: amountF, share: share(amountF, total) },
  };
}
