/**
 * The functions of price-monitor: title matching (longest key, sku ties), capacity and pack count,
 * coupon parsing and application, exact normalized prices and `gap_pct` rounding, record checks.
 */
import { describe, expect, it } from 'vitest';
import { titleCapacity } from '../../../jobs/price-monitor/capacity.ts';
import { applyCoupons } from '../../../jobs/price-monitor/coupons.ts';
import { priceListing } from '../../../jobs/price-monitor/evaluate.ts';
import { decimalToNumber, gapPct } from '../../../jobs/price-monitor/exact.ts';
import { invalidListing, type Listing } from '../../../jobs/price-monitor/listing.ts';
import { compareSkus, invalidReference, matchTitle, normalizeText, toReference } from '../../../jobs/price-monitor/reference.ts';

const row = (sku: string, name: string, aliases = '', capacity = '50', flagship = '10000') => ({ sku, name, brand: 'B', capacity_ml: capacity, flagship_price_cents: flagship, aliases });
const listing = (title: string, page: number, coupons = ''): Listing => ({ ts: 1, shop_id: 1, shop_name: 's', title, page_price_cents: page, coupons, url: 'u' });
const ml = (title: string) => {
  const c = titleCapacity(title);
  return c === undefined ? undefined : decimalToNumber(c);
};

describe('matching', () => {
  it('normalizes by lowercasing and removing Unicode whitespace', () => {
    expect(normalizeText(' Double\u3000Wear\t粉底 ')).toBe('doublewear粉底');
  });

  it('takes the longest matching name or alias, a tie to the smaller sku', () => {
    const products = [row('B2', 'abc'), row('B10', 'xyz', 'ab|abcd'), row('A9', 'cde'), row('C1', 'ABC')].map(toReference);
    expect(matchTitle('__ABCD__', products)?.sku).toBe('B10');
    expect(matchTitle('abc', products)?.sku).toBe('B2');
    expect(matchTitle('a b c d e', products)?.sku).toBe('B10');
    expect(matchTitle('cde', products)?.sku).toBe('A9');
    expect(matchTitle('nothing', products)).toBeUndefined();
  });

  it('ignores empty aliases and compares all-digit skus as numbers', () => {
    expect(toReference(row('1', 'n', '|a||')).keys).toEqual(['n', 'a']);
    expect(compareSkus('9', '10')).toBeLessThan(0);
    expect(compareSkus('D10', 'D9')).toBeLessThan(0);
  });

  it('refuses reference rows with a bad capacity, price or empty name', () => {
    expect(invalidReference(row('1', 'n'))).toBeUndefined();
    expect(invalidReference(row('1', 'n', '', '7.5', '1e3'))).toBeUndefined();
    expect(invalidReference(row('1', 'n', '', '0'))).toMatch(/capacity_ml/);
    expect(invalidReference(row('1', 'n', '', '-5'))).toMatch(/capacity_ml/);
    expect(invalidReference(row('1', 'n', '', '5', '12.5'))).toMatch(/flagship_price_cents/);
    expect(invalidReference(row('1', ' \t'))).toMatch(/name/);
  });
});

describe('capacity', () => {
  it('reads the first capacity with its unit, case-insensitive', () => {
    expect(ml('精华 50ml')).toBe(50);
    expect(ml('精华 50 ML 100ml')).toBe(50);
    expect(ml('精华 30毫升')).toBe(30);
    expect(ml('精华 1.5L')).toBe(1500);
    expect(ml('精华 0.2升')).toBe(200);
    expect(ml('精华 50mlb 30ml')).toBe(30);
    expect(ml('精华 ５０ml')).toBeUndefined();
    expect(ml('精华 0ml x2')).toBeUndefined();
    expect(ml('精华')).toBeUndefined();
  });

  it('applies one pack count: a multiplier right after, or else N瓶/N支; 0 is ignored', () => {
    expect(ml('50ml x2')).toBe(100);
    expect(ml('50ml×3 2瓶')).toBe(150);
    expect(ml('50ml * 2')).toBe(100);
    expect(ml('50mlX2')).toBeUndefined();
    expect(ml('50ml X2')).toBe(100);
    expect(ml('3支装 50ml')).toBe(150);
    expect(ml('50ml 装 2 瓶')).toBe(100);
    expect(ml('50ml x0')).toBe(50);
    expect(ml('50ml 0瓶')).toBe(50);
  });
});

describe('coupons', () => {
  it('applies the largest reachable 满X减Y and the smallest D折, ties to the first', () => {
    expect(applyCoupons(20_000, '满100减10; 满150减20 ;满300减50;9折;8.5折;8.5折')).toEqual({
      effective_price_cents: Math.floor((20_000 - 2_000) * 0.85),
      coupons_fmt: '满150减20 / 8.5折',
      coupons_unparsed: [],
    });
    expect(applyCoupons(20_000, '满100减20;满0150减020').coupons_fmt).toBe('满100减20');
  });

  it('keeps unparsable items in order and leaves out understood ones that do not apply', () => {
    const result = applyCoupons(5_000, '10折; 神秘券 ;满100减10;0.5折;;8 折;满10减0');
    expect(result.coupons_unparsed).toEqual(['10折', '神秘券', '0.5折', '8 折']);
    expect(result.coupons_fmt).toBe('');
    expect(result.effective_price_cents).toBe(5_000);
  });

  it('floors exactly and never goes below 0', () => {
    expect(applyCoupons(999, '9.9折').effective_price_cents).toBe(989);
    expect(applyCoupons(1_000, '满10减20;5折').effective_price_cents).toBe(0);
    expect(applyCoupons(1_000, '满10减20;5折').coupons_fmt).toBe('满10减20 / 5折');
  });
});

describe('prices', () => {
  it('normalizes to the reference capacity exactly, falling back to it', () => {
    const product = toReference(row('1', '精华', '', '7.5', '80000'));
    expect(priceListing(listing('精华 15ml', 100_001), product)).toMatchObject({ capacity_ml: 15, normalized_price_cents: 50_000 });
    expect(priceListing(listing('精华', 100_001), product)).toMatchObject({ capacity_ml: 7.5, normalized_price_cents: 100_001 });
    expect(priceListing(listing('精华 0.1ml', 3), product).normalized_price_cents).toBe(225);
  });

  it('rounds gap_pct half away from zero at 2 decimals', () => {
    expect(gapPct(80_000, 79_996)).toBe(0.01);
    expect(gapPct(80_000, 80_004)).toBe(-0.01);
    expect(gapPct(3, 2)).toBe(33.33);
    expect(gapPct(3, 1)).toBe(66.67);
    expect(gapPct(100, 0)).toBe(100);
  });

  it('checks listing fields', () => {
    expect(invalidListing({ ...listing('t', 1) })).toBeUndefined();
    expect(invalidListing({ ...listing('t', 1), ts: 1.5 })).toMatch(/ts/);
    expect(invalidListing({ ...listing('t', 1), coupons: null })).toMatch(/coupons/);
    expect(invalidListing({ ...listing('t', 1), shop_id: 2.5 })).toMatch(/shop_id/);
  });
});
