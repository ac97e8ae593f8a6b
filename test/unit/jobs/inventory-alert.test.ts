/**
 * inventory-alert's functions: validation of every input, rule resolution (SKU rule first, then
 * category-brand, inactive rules, no sku_dim), levels at their bounds, the network check, the
 * 5-minute page-view window and priority, alerts on level changes, and the network stock server.
 */
import { describe, expect, it } from 'vitest';
import { alertFor } from '../../../jobs/inventory-alert/alerts.ts';
import type { Evaluated } from '../../../jobs/inventory-alert/inputs.ts';
import { isLate } from '../../../jobs/inventory-alert/late-filter.ts';
import { networkQtyOf } from '../../../jobs/inventory-alert/network-check.ts';
import { networkStockApp, parseNetworkStock } from '../../../jobs/inventory-alert/network-server-app.ts';
import { invalidChange, invalidCateBrandRule, invalidSkuDim, invalidSkuRule, invalidStock, invalidWhitelist, toSkuRule } from '../../../jobs/inventory-alert/records.ts';
import { confirmedLevel, levelOf, priorityOf, pvWithin, resolveRule } from '../../../jobs/inventory-alert/rules.ts';

const stock = { ts: 1000, sku_id: 1, warehouse_id: 2, vender_id: 3, qty: 4 };

describe('inventory-alert validation', () => {
  it('accepts integers written as 5.0 and 1e3, and keeps extra fields out of the check', () => {
    expect(invalidStock({ ...stock, qty: 5.0, ts: 1e3, note: '补货' })).toBeUndefined();
  });
  it('rejects a missing, null, fractional or string field, naming it', () => {
    expect(invalidStock({ ...stock, qty: 2.5 })).toMatch(/qty/);
    expect(invalidStock({ ...stock, qty: null })).toMatch(/qty/);
    expect(invalidStock({ ...stock, sku_id: '1' })).toMatch(/sku_id/);
    const { warehouse_id: _, ...noWarehouse } = stock;
    expect(invalidStock(noWarehouse)).toMatch(/warehouse_id/);
  });
  it('reads CSV cells as integers and rejects the others', () => {
    expect(invalidSkuDim({ sku_id: '1', vender_id: '2', category_id: '3', brand_id: '4.0' })).toBeUndefined();
    expect(invalidSkuDim({ sku_id: 'abc', vender_id: '2', category_id: '3', brand_id: '4' })).toMatch(/sku_id/);
    expect(invalidWhitelist({ sku_id: '' })).toMatch(/sku_id/);
    expect(invalidSkuRule({ sku_id: '1', vender_id: '2', threshold: 'two', status: '1' })).toMatch(/threshold/);
    expect(invalidCateBrandRule({ vender_id: '1', category_id: '2', brand_id: '3' })).toMatch(/threshold/);
  });
  it('checks a change: its op, and a delete by key fields only', () => {
    const check = (r: Record<string, unknown>) => invalidChange(r, invalidSkuRule, ['sku_id']);
    expect(check({ op: 'delete', row: { sku_id: 5 } })).toBeUndefined();
    expect(check({ op: 'insert', row: { sku_id: 5, vender_id: 1, threshold: 3, status: 1 } })).toBeUndefined();
    expect(check({ op: 'upsert', row: { sku_id: 5 } })).toMatch(/op/);
    expect(check({ op: 'update', row: { sku_id: 5, vender_id: 1, threshold: '3', status: 1 } })).toMatch(/row\.threshold/);
    expect(check({ op: 'update', row: null })).toMatch(/row/);
  });
});

describe('inventory-alert rule resolution', () => {
  const dim = { sku_id: 1, vender_id: 9, category_id: 20, brand_id: 30 };
  const cate = new Map([['3,20,30', { vender_id: 3, category_id: 20, brand_id: 30, threshold: 8, status: 1 }]]);
  const lookup = (v: number, c: number, b: number) => cate.get(`${v},${c},${b}`);
  it('lets an active SKU rule win over the category-brand rule', () => {
    expect(resolveRule(toSkuRule({ sku_id: 1, vender_id: 3, threshold: 2, status: 1 }), 3, dim, lookup)).toEqual({ rule: 'sku', threshold: 2 });
  });
  it('falls back to the category-brand rule of the record vender and the sku_dim category and brand', () => {
    expect(resolveRule({ sku_id: 1, vender_id: 3, threshold: 2, status: 0 }, 3, dim, lookup)).toEqual({ rule: 'cate_brand', threshold: 8 });
    expect(resolveRule(undefined, 9, dim, lookup)).toBeUndefined();
  });
  it('gives a SKU without sku_dim only its SKU rule, and status 2 is inactive', () => {
    expect(resolveRule(undefined, 3, undefined, lookup)).toBeUndefined();
    expect(resolveRule({ sku_id: 1, vender_id: 3, threshold: 2, status: 2 }, 3, undefined, lookup)).toBeUndefined();
  });
  it('computes levels at their bounds', () => {
    const rule = { rule: 'sku' as const, threshold: 5 };
    expect(levelOf(0, rule)).toBe('OUT_OF_STOCK');
    expect(levelOf(5, rule)).toBe('LOW_STOCK');
    expect(levelOf(1, rule)).toBe('LOW_STOCK');
    expect(levelOf(6, rule)).toBe('NONE');
    expect(levelOf(-1, rule)).toBe('NONE');
    expect(levelOf(0, undefined)).toBe('NONE');
  });
  it('clears a level only when the network holds more than the threshold', () => {
    const rule = { rule: 'sku' as const, threshold: 5 };
    expect(confirmedLevel('LOW_STOCK', rule, 5)).toBe('LOW_STOCK');
    expect(confirmedLevel('OUT_OF_STOCK', rule, 6)).toBe('NONE');
    expect(networkQtyOf(1, undefined)).toBe(0);
    expect(networkQtyOf(1, { sku_id: 1, network_qty: 7 })).toBe(7);
    expect(() => networkQtyOf(1, { sku_id: 1 })).toThrow(/sku 1/);
  });
  it('counts page views in (ts - 5 min, ts] and ranks 100 as P1', () => {
    const views = [{ ts: 700_000 - 300_000, pv: 1000 }, { ts: 700_000 - 299_999, pv: 40 }, { ts: 700_000, pv: 60 }, { ts: 700_001, pv: 5 }];
    expect(pvWithin(700_000, views)).toBe(100);
    expect(priorityOf(100)).toBe('P1');
    expect(priorityOf(99)).toBe('P2');
  });
  it('takes a record at the watermark as late, one after it as on time', () => {
    expect(isLate(10, 10)).toBe(true);
    expect(isLate(11, 10)).toBe(false);
  });
});

describe('inventory-alert alerts', () => {
  const evaluated = (level: Evaluated['level'], rule: Evaluated['rule'] = 'sku'): Evaluated => ({ ts: 5, sku_id: 1, vender_id: 2, level, total_qty: 3, threshold: rule === null ? null : 4, rule, pv_5m: 120 });
  it('emits only changes, a change to NONE as RECOVERED with the applied rule or nulls', () => {
    expect(alertFor('NONE', evaluated('NONE'))).toBeUndefined();
    expect(alertFor('NONE', evaluated('LOW_STOCK'))).toEqual({ ts: 5, sku_id: 1, vender_id: 2, level: 'LOW_STOCK', total_qty: 3, threshold: 4, rule: 'sku', pv_5m: 120, priority: 'P1' });
    expect(alertFor('LOW_STOCK', evaluated('OUT_OF_STOCK'))?.level).toBe('OUT_OF_STOCK');
    expect(alertFor('LOW_STOCK', evaluated('NONE'))).toMatchObject({ level: 'RECOVERED', threshold: 4, rule: 'sku' });
    expect(alertFor('OUT_OF_STOCK', evaluated('NONE', null))).toMatchObject({ level: 'RECOVERED', threshold: null, rule: null });
  });
});

describe('inventory-alert network stock server', () => {
  it('answers a known SKU, 404 for an unknown one and 400 for a bad key', async () => {
    const skipped: number[] = [];
    const app = networkStockApp(parseNetworkStock('{"sku_id":7,"network_qty":3}\n\nbad\n{"sku_id":8}\n', (line) => skipped.push(line)));
    expect(skipped).toEqual([3, 4]);
    expect((await app.inject({ url: '/7' })).json()).toEqual({ sku_id: 7, network_qty: 3 });
    expect((await app.inject({ url: '/9' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/x1' })).statusCode).toBe(400);
    await app.close();
  });
});
