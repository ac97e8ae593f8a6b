/** Prices a listing against its reference product: capacity, coupons, normalized price. */
import { applyCoupons } from './coupons.ts';
import { titleCapacity } from './capacity.ts';
import { decimalToNumber, parseDecimal } from './exact.ts';
import type { Listing } from './listing.ts';
import type { ReferenceProduct } from './reference.ts';

/** A priced listing: the alert fields except `gap_pct` and `status`. */
export interface PricedListing {
  ts: number;
  shop_id: string | number;
  shop_name: string;
  sku: string;
  title: string;
  url: string;
  capacity_ml: number;
  page_price_cents: number;
  effective_price_cents: number;
  normalized_price_cents: number;
  flagship_price_cents: number;
  coupons_fmt: string;
  coupons_unparsed: string[];
}

/**
 * `normalized = floor(effective * reference capacity / listing capacity)`, exactly; the listing
 * capacity falls back to the reference's when the title states none (or 0).
 */
export function priceListing(listing: Listing, product: ReferenceProduct): PricedListing {
  const reference = parseDecimal(product.capacity_ml) ?? { num: 1n, den: 1n };
  const capacity = titleCapacity(listing.title) ?? reference;
  const coupons = applyCoupons(listing.page_price_cents, listing.coupons);
  const normalized = (BigInt(coupons.effective_price_cents) * reference.num * capacity.den) / (reference.den * capacity.num);
  return {
    ts: listing.ts,
    shop_id: listing.shop_id,
    shop_name: listing.shop_name,
    sku: product.sku,
    title: listing.title,
    url: listing.url,
    capacity_ml: decimalToNumber(capacity),
    page_price_cents: listing.page_price_cents,
    effective_price_cents: coupons.effective_price_cents,
    normalized_price_cents: Number(normalized),
    flagship_price_cents: product.flagship_price_cents,
    coupons_fmt: coupons.coupons_fmt,
    coupons_unparsed: coupons.coupons_unparsed,
  };
}
