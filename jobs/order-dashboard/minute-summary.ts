/**
 * What one minute of orders adds up to: the sales flow, the quantities and amounts per category
 * and brand, the amount per user and per gender. One accumulator folds a minute's orders (locally
 * first, then per window), and the cumulative metrics fold the minutes.
 */
import type { AggregateFunction } from 'sluice';
import type { Order } from './order.ts';
import { idKey, type Id } from './ranking.ts';

/** Quantity and amount of a category or a brand. */
export type QuantityAmount = [quantity: number, amountCents: number];

/** A user's amount, with the user as it came. */
export type UserAmount = [userId: Id, userName: string, amountCents: number];

/** The sums of a set of orders. Map keys are prefixed (`k` + name, `idKey`) so none is `__proto__`. */
export interface MinuteSummary {
  amount: number;
  quantity: number;
  orders: number;
  categories: Record<string, QuantityAmount>;
  brands: Record<string, QuantityAmount>;
  users: Record<string, UserAmount>;
  amountM: number;
  amountF: number;
}

/** An empty summary. */
export function emptySummary(): MinuteSummary {
  return { amount: 0, quantity: 0, orders: 0, categories: {}, brands: {}, users: {}, amountM: 0, amountF: 0 };
}

/** Adds a quantity and an amount to an entry of a per-name table. */
function addTo(table: Record<string, QuantityAmount>, name: string, quantity: number, amount: number): void {
  const key = `k${name}`;
  const entry = table[key];
  if (entry === undefined) table[key] = [quantity, amount];
  else {
    entry[0] += quantity;
    entry[1] += amount;
  }
}

/** Adds a user's amount; the first name seen for a user stays. */
function addUser(table: Record<string, UserAmount>, userId: Id, userName: string, amount: number): void {
  const key = idKey(userId);
  const entry = table[key];
  if (entry === undefined) table[key] = [userId, userName, amount];
  else entry[2] += amount;
}

/** Folds one order into a summary, in place. */
export function addOrder(summary: MinuteSummary, order: Order): MinuteSummary {
  const amount = order.price_cents * order.quantity;
  summary.amount += amount;
  summary.quantity += order.quantity;
  summary.orders += 1;
  addTo(summary.categories, order.category, order.quantity, amount);
  addTo(summary.brands, order.brand, order.quantity, amount);
  addUser(summary.users, order.user_id, order.user_name, amount);
  if (order.gender === 'M') summary.amountM += amount;
  else summary.amountF += amount;
  return summary;
}

/** Folds summary `b` into `a`, in place; `a`'s user names win. */
export function mergeSummaries(a: MinuteSummary, b: MinuteSummary): MinuteSummary {
  a.amount += b.amount;
  a.quantity += b.quantity;
  a.orders += b.orders;
  for (const [key, [q, amt]] of Object.entries(b.categories)) addTo(a.categories, key.slice(1), q, amt);
  for (const [key, [q, amt]] of Object.entries(b.brands)) addTo(a.brands, key.slice(1), q, amt);
  for (const [userId, userName, amt] of Object.values(b.users)) addUser(a.users, userId, userName, amt);
  a.amountM += b.amountM;
  a.amountF += b.amountF;
  return a;
}

/** The minute window's aggregate. */
export const summarizeMinute: AggregateFunction<Order, MinuteSummary, MinuteSummary> = {
  createAccumulator: emptySummary,
  add: (order, summary) => addOrder(summary, order),
  getResult: (summary) => summary,
  merge: mergeSummaries,
};

/** Quantities per gender over a 10-minute window. */
export interface GenderQuantities {
  M: number;
  F: number;
}

/** The 10-minute window's aggregate. */
export const genderQuantities: AggregateFunction<Order, GenderQuantities, GenderQuantities> = {
  createAccumulator: () => ({ M: 0, F: 0 }),
  add: (order, acc) => {
    acc[order.gender] += order.quantity;
    return acc;
  },
  getResult: (acc) => acc,
  merge: (a, b) => ({ M: a.M + b.M, F: a.F + b.F }),
};
