/**
 * product-selection's functions: selection validation, id order, catalog matching and pages, the
 * pool diff, the SPU search server, and the processing node gathering pages in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KeyedProcessOperator } from '../../../taskmanager/operators/process-operators.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';
import { Catalog, matches, type CatalogItem } from '../../../jobs/product-selection/catalog.ts';
import { compareIds } from '../../../jobs/product-selection/ids.ts';
import { diffPool } from '../../../jobs/product-selection/pool-diff.ts';
import { DELTAS, PoolUpdates, type PageResult } from '../../../jobs/product-selection/pool-updates.ts';
import { pageCount } from '../../../jobs/product-selection/request-stages.ts';
import { featuresFromQuery, featuresOf, featuresQuery, invalidSelection, type Selection } from '../../../jobs/product-selection/selection.ts';
import { spuSearchApp } from '../../../jobs/product-selection/spu-search-server.ts';

const item = (spu_id: string | number, over: Partial<CatalogItem> = {}): CatalogItem => ({ spu_id, title: 't', category: '美妆', brand: 'B', price_cents: 1000, sales: 10, ...over });
const features = { category: '美妆', price_min_cents: 1000, price_max_cents: 2000, min_sales: 10 };

describe('product-selection selections', () => {
  it('accepts upserts and deletes, integers written as 5.0 or 1e3 included', () => {
    expect(invalidSelection({ ts: 1, pool_id: 'p', op: 'delete' })).toBeUndefined();
    expect(invalidSelection({ ts: 1e3, pool_id: 7, op: 'upsert', features: { category: 'c', price_min_cents: 5.0, price_max_cents: 1e3, min_sales: 0, brand: null } })).toBeUndefined();
  });

  it('names the field that makes a selection malformed', () => {
    expect(invalidSelection({ ts: 1.5, pool_id: 'p', op: 'delete' })).toMatch(/^ts/);
    expect(invalidSelection({ ts: 1, pool_id: 1.5, op: 'delete' })).toMatch(/^pool_id/);
    expect(invalidSelection({ ts: 1, pool_id: null, op: 'delete' })).toMatch(/^pool_id/);
    expect(invalidSelection({ ts: 1, pool_id: 'p', op: 'merge' })).toMatch(/^op/);
    expect(invalidSelection({ ts: 1, pool_id: 'p', op: 'upsert' })).toMatch(/^features/);
    expect(invalidSelection({ ts: 1, pool_id: 'p', op: 'upsert', features: { category: 'c', price_min_cents: '1', price_max_cents: 2, min_sales: 0 } })).toMatch(/price_min_cents/);
    expect(invalidSelection({ ts: 1, pool_id: 'p', op: 'upsert', features: { category: 'c', brand: 3, price_min_cents: 1, price_max_cents: 2, min_sales: 0 } })).toMatch(/brand/);
  });

  it('drops a null brand and carries features through a query string unchanged', () => {
    const selection = { ts: 1, pool_id: 'p', op: 'upsert', features: { ...features, brand: null } } as unknown as Selection;
    expect(featuresOf(selection)).toEqual(features);
    const branded = { ...features, brand: 'Lancôme & co' };
    expect(featuresFromQuery(Object.fromEntries(featuresQuery(branded)))).toEqual(branded);
    expect(() => featuresFromQuery({ category: 'c', price_min_cents: 'x', price_max_cents: '1', min_sales: '1' })).toThrow(/price_min_cents/);
  });
});

describe('product-selection ids and catalog', () => {
  it('orders integers numerically before strings, strings by code units', () => {
    expect([10, 'L9', 9, 'L10', 'a', 2].sort(compareIds)).toEqual([2, 9, 10, 'L10', 'L9', 'a']);
  });

  it('matches category exactly, the brand when given, and both price bounds and min_sales inclusively', () => {
    expect(matches(item(1), features)).toBe(true);
    expect(matches(item(1, { price_cents: 2000 }), features)).toBe(true);
    expect(matches(item(1, { price_cents: 2001 }), features)).toBe(false);
    expect(matches(item(1, { sales: 9 }), features)).toBe(false);
    expect(matches(item(1, { category: '美妆 ' }), features)).toBe(false);
    expect(matches(item(1, { brand: 'b' }), { ...features, brand: 'B' })).toBe(false);
    expect(matches(item(1, { brand: 'b' }), features)).toBe(true);
  });

  it('counts and pages matches by spu_id, later duplicates replacing earlier ones', () => {
    const catalog = new Catalog([item('L9'), item(3), item('L10'), item(1), item(3, { sales: 0 }), item(2, { category: 'x' })]);
    expect(catalog.count(features)).toBe(3);
    expect(catalog.search(features, 1, 2).map((i) => i.spu_id)).toEqual([1, 'L10']);
    expect(catalog.search(features, 2, 2).map((i) => i.spu_id)).toEqual(['L9']);
    expect(catalog.search(features, 3, 2)).toEqual([]);
  });

  it('splits counts into pages of 100', () => {
    expect([0, 1, 100, 101, 250].map(pageCount)).toEqual([0, 1, 1, 2, 3]);
  });

  it('reports bad catalog lines and keeps the rest', () => {
    const bad: number[] = [];
    const catalog = Catalog.fromJsonl(`${JSON.stringify(item(1))}\n\n{"spu_id": 2}\nnope\n`, (line) => bad.push(line));
    expect(bad).toEqual([3, 4]);
    expect(catalog.count(features)).toBe(1);
  });
});

describe('product-selection pool diff', () => {
  it('lists added and removed SPUs ascending and keeps 5 and "5" apart', () => {
    expect(diffPool([3, 'b', 5], [5, '5', 'a', 1, 1])).toEqual({ added: [1, '5', 'a'], removed: [3, 'b'], next: [1, 5, '5', 'a'] });
    expect(diffPool([], [])).toEqual({ added: [], removed: [], next: [] });
  });
});

describe('product-selection SPU search server', () => {
  it('answers /count and /search by spu_id, and 400 naming a bad parameter', async () => {
    const app = spuSearchApp(new Catalog([item(2), item('L1'), item(1), item(9, { brand: 'Other' })]));
    const query = featuresQuery({ ...features, brand: 'B' }).toString();
    expect((await app.inject({ url: `/count?${query}` })).json()).toEqual({ count: 3 });
    const page = (await app.inject({ url: `/search?${query}&page=2&page_size=2` })).json() as { items: CatalogItem[] };
    expect(page.items.map((i) => i.spu_id)).toEqual(['L1']);
    const bad = await app.inject({ url: '/count?category=x&price_min_cents=1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: expect.stringMatching(/price_max_cents/) });
    await app.close();
  });
});

describe('product-selection processing node', () => {
  let harness: OperatorHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const page = (token: string, page: number, pages: number, spu_ids: (string | number)[]): PageResult => ({ pool_id: 'p', token, page, pages, spu_ids });

  it('applies a selection once all its pages arrived, bumps the version on every applied selection, and drops one with a missing page', async () => {
    harness = await OperatorHarness.open((setup) => new KeyedProcessOperator(setup, new PoolUpdates() as never), { keySelectors: [(r) => (r as PageResult).pool_id] });
    harness.processElement(page('a', 1, 2, [3, 1]), 1);
    expect(harness.values()).toEqual([]);
    harness.processElement(page('a', 2, 2, ['x']), 1);
    // A selection whose page 1 failed: page 2 alone changes nothing.
    harness.processElement(page('b', 2, 2, [7]), 2);
    // The same set again: a new version, no deltas.
    harness.processElement(page('c', 1, 1, ['x', 1, 3]), 3);
    harness.processElement(page('d', 0, 0, []), 4);
    expect(harness.values()).toEqual([
      { pool_id: 'p', version: 1, spu_ids: [1, 3, 'x'] },
      { pool_id: 'p', version: 2, spu_ids: [1, 3, 'x'] },
      { pool_id: 'p', version: 3, spu_ids: [] },
    ]);
    expect(harness.sideValues(DELTAS.id)).toEqual([
      { pool_id: 'p', version: 1, spu_id: 1, action: 'add' },
      { pool_id: 'p', version: 1, spu_id: 3, action: 'add' },
      { pool_id: 'p', version: 1, spu_id: 'x', action: 'add' },
      { pool_id: 'p', version: 3, spu_id: 1, action: 'remove' },
      { pool_id: 'p', version: 3, spu_id: 3, action: 'remove' },
      { pool_id: 'p', version: 3, spu_id: 'x', action: 'remove' },
    ]);
  });
});
