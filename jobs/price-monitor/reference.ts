/** The reference table of price-monitor: one flagship product per row, read from CSV. */
import { parseDecimal } from './exact.ts';

/** A reference row as kept in broadcast state. */
export interface ReferenceProduct {
  sku: string;
  name: string;
  brand: string;
  /** `capacity_ml` as written (a decimal). */
  capacity_ml: string;
  flagship_price_cents: number;
  /** The name and the non-empty aliases, normalized for matching. */
  keys: string[];
}

/** Lowercases and removes all whitespace (JavaScript `\s`), as titles and names are compared. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

/** Reads an integer cell: a number literal whose value is a safe integer (`5.0` and `1e3` count). */
export function parseIntegerCell(cell: string): number | undefined {
  const text = cell.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Why a CSV row is not a valid reference row, or undefined when it is. */
export function invalidReference(row: Record<string, unknown>): string | undefined {
  for (const column of ['sku', 'name', 'brand', 'capacity_ml', 'flagship_price_cents', 'aliases']) {
    if (typeof row[column] !== 'string') return `column ${column} is missing`;
  }
  if ((row.sku as string).trim() === '') return 'sku is empty';
  if (normalizeText(row.name as string) === '') return 'name is empty';
  const capacity = parseDecimal((row.capacity_ml as string).trim());
  if (capacity === undefined || capacity.num === 0n) return `capacity_ml must be a positive decimal, got ${JSON.stringify(row.capacity_ml)}`;
  const flagship = parseIntegerCell(row.flagship_price_cents as string);
  if (flagship === undefined || flagship < 0) return `flagship_price_cents must be an integer >= 0, got ${JSON.stringify(row.flagship_price_cents)}`;
  return undefined;
}

/** Turns a valid CSV row into a reference product. */
export function toReference(row: Record<string, unknown>): ReferenceProduct {
  const name = row.name as string;
  const aliases = (row.aliases as string).split('|').map(normalizeText).filter((alias) => alias !== '');
  return {
    sku: (row.sku as string).trim(),
    name,
    brand: row.brand as string,
    capacity_ml: (row.capacity_ml as string).trim(),
    flagship_price_cents: parseIntegerCell(row.flagship_price_cents as string) ?? 0,
    keys: [normalizeText(name), ...aliases],
  };
}

/** Orders skus: numerically when both are unsigned integers, else as JavaScript strings. */
export function compareSkus(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Finds the reference product of a title: the longest name or alias contained in the normalized
 * title, a tie going to the smaller sku; undefined when none is.
 */
export function matchTitle(title: string, products: Iterable<ReferenceProduct>): ReferenceProduct | undefined {
  const normalized = normalizeText(title);
  let best: ReferenceProduct | undefined;
  let bestLength = 0;
  for (const product of products) {
    for (const key of product.keys) {
      if (key.length < bestLength || !normalized.includes(key)) continue;
      if (best === undefined || key.length > bestLength || compareSkus(product.sku, best.sku) < 0) {
        best = product;
        bestLength = key.length;
      }
    }
  }
  return best;
}
