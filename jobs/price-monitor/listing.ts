/** A crawled listing of price-monitor, and the checks that make a line one. */

/** A valid listing, with every field as read (extra ones included). */
export interface Listing {
  ts: number;
  shop_id: string | number;
  shop_name: string;
  title: string;
  page_price_cents: number;
  coupons: string;
  url: string;
  [extra: string]: unknown;
}

/** Describes a value for an error message. */
function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Why a parsed line is not a valid listing, or undefined when it is. */
export function invalidListing(record: Record<string, unknown>): string | undefined {
  for (const field of ['ts', 'page_price_cents']) {
    const value = record[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${field} must be an integer, got ${shown(value)}`;
  }
  const shop = record.shop_id;
  if (typeof shop !== 'string' && !(typeof shop === 'number' && Number.isSafeInteger(shop))) return `shop_id must be a string or a safe integer, got ${shown(shop)}`;
  for (const field of ['shop_name', 'title', 'coupons', 'url']) {
    if (typeof record[field] !== 'string') return `${field} must be a string, got ${shown(record[field])}`;
  }
  return undefined;
}

/** The state key of a listing's shop and page; the sku completes it inside the state. */
export function listingKey(listing: Listing): string {
  return JSON.stringify([listing.shop_id, listing.url]);
}
