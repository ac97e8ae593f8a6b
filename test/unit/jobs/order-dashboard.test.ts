/**
 * The functions of order-dashboard: order checks, the minute summary and its merge, the rankings
 * and their tie orders, and the exact `share` rounding.
 */
import { describe, expect, it } from 'vitest';
import { addOrder, emptySummary, mergeSummaries } from '../../../jobs/order-dashboard/minute-summary.ts';
import { invalidOrder, type Order } from '../../../jobs/order-dashboard/order.ts';
import { brandRanking, categoryRank, compareUsers, genderShare } from '../../../jobs/order-dashboard/outputs.ts';
import { compareIds, share } from '../../../jobs/order-dashboard/ranking.ts';

const order = (o: Partial<Order> = {}): Order => ({
  order_id: 1, ts: 0, user_id: 'u', user_name: 'U', gender: 'M', product_id: 1, product_name: 'p', category: 'c', brand: 'b', price_cents: 100, quantity: 1, ...o,
});

describe('orders', () => {
  it('accepts valid orders and names the broken field', () => {
    expect(invalidOrder({ ...order() })).toBeUndefined();
    expect(invalidOrder({ ...order(), price_cents: 0 })).toBeUndefined();
    expect(invalidOrder({ ...order(), price_cents: -1 })).toMatch(/price_cents must be >= 0/);
    expect(invalidOrder({ ...order(), quantity: 0 })).toMatch(/quantity must be >= 1/);
    expect(invalidOrder({ ...order(), quantity: 1.5 })).toMatch(/quantity must be an integer/);
    expect(invalidOrder({ ...order(), gender: 'f' })).toMatch(/gender/);
    expect(invalidOrder({ ...order(), user_id: null })).toMatch(/user_id .* null/);
    expect(invalidOrder({ ...order(), brand: undefined })).toMatch(/brand must be a string, got nothing/);
    expect(invalidOrder({ ...order(), price_cents: 2 ** 40, quantity: 2 ** 20 })).toMatch(/safe integer/);
  });
});

describe('summaries and rankings', () => {
  it('sums a minute and merges partials as if folded together', () => {
    const orders = [
      order({ category: '__proto__', brand: 'x', quantity: 2, price_cents: 50 }),
      order({ category: 'b', user_id: 1, gender: 'F' }),
      order({ category: 'a', user_id: '1', quantity: 2 }),
      order({ category: 'b', user_id: 1, gender: 'F', quantity: 3 }),
    ];
    const whole = orders.reduce(addOrder, emptySummary());
    const merged = mergeSummaries(orders.slice(0, 2).reduce(addOrder, emptySummary()), orders.slice(2).reduce(addOrder, emptySummary()));
    expect(merged).toEqual(whole);
    expect(whole).toMatchObject({ amount: 700, quantity: 8, orders: 4, amountM: 300, amountF: 400 });
    expect(categoryRank({ window_start: 0, window_end: 60_000, summary: whole }).ranking).toEqual([
      { category: 'b', quantity: 4, amount_cents: 400 },
      { category: '__proto__', quantity: 2, amount_cents: 100 },
      { category: 'a', quantity: 2, amount_cents: 200 },
    ]);
    expect(Object.values(whole.users).map(([id, , amount]) => [id, amount])).toEqual([['u', 100], [1, 400], ['1', 200]]);
  });

  it('ranks brands by amount then name, at most 10', () => {
    const brands = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`kL${i}`, [1, i < 3 ? 500 : 100] as [number, number]]));
    const ranking = brandRanking(brands);
    expect(ranking.map((b) => b.brand)).toEqual(['L0', 'L1', 'L2', 'L10', 'L11', 'L3', 'L4', 'L5', 'L6', 'L7']);
  });

  it('orders ids: integers numerically and first, then strings', () => {
    expect([10, 'a', 9, '10', 'B'].sort(compareIds)).toEqual([9, 10, '10', 'B', 'a']);
    expect(compareUsers({ user_id: 'a', user_name: '', amount_cents: 5 }, { user_id: 2, user_name: '', amount_cents: 5 })).toBeGreaterThan(0);
  });

  it('rounds share half away from zero, exactly, and gives 0 of nothing', () => {
    expect(share(1, 20_000)).toBe(0.0001);
    expect(share(1, 20_001)).toBe(0);
    expect(share(1, 3)).toBe(0.3333);
    expect(share(2, 3)).toBe(0.6667);
    expect(genderShare(60_000, 0, 0)).toEqual({ as_of: 60_000, M: { amount_cents: 0, share: 0 }, F: { amount_cents: 0, share: 0 } });
  });
});
