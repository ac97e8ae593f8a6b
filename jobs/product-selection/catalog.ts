/** The SPU catalog: its items, which ones a pool's features select, and pages of them by `spu_id`. */
import { compareIds, isId, type Id } from './ids.ts';
import { isInteger, type Features } from './selection.ts';

/** One catalog item. */
export interface CatalogItem {
  readonly spu_id: Id;
  readonly title: string;
  readonly category: string;
  readonly brand: string;
  readonly price_cents: number;
  readonly sales: number;
}

/** The size of a page the job asks for. */
export const PAGE_SIZE = 100;

/** Parses one catalog line; throws naming the bad field. */
export function parseCatalogItem(line: string): CatalogItem {
  const value: unknown = JSON.parse(line);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  const r = value as Record<string, unknown>;
  if (!isId(r.spu_id)) throw new Error(`spu_id must be a string or a safe integer, got ${JSON.stringify(r.spu_id ?? null)}`);
  for (const field of ['title', 'category', 'brand'] as const) {
    if (typeof r[field] !== 'string') throw new Error(`${field} must be a string, got ${JSON.stringify(r[field] ?? null)}`);
  }
  for (const field of ['price_cents', 'sales'] as const) {
    if (!isInteger(r[field])) throw new Error(`${field} must be an integer, got ${JSON.stringify(r[field] ?? null)}`);
  }
  return r as unknown as CatalogItem;
}

/** Whether an item belongs to a pool with these features. */
export function matches(item: CatalogItem, features: Features): boolean {
  return (
    item.category === features.category &&
    (features.brand === undefined || item.brand === features.brand) &&
    features.price_min_cents <= item.price_cents &&
    item.price_cents <= features.price_max_cents &&
    item.sales >= features.min_sales
  );
}

/** A catalog in memory, sorted by `spu_id`, answering counts and pages. */
export class Catalog {
  private readonly items: readonly CatalogItem[];

  /** Later lines with the same `spu_id` replace earlier ones. */
  constructor(items: Iterable<CatalogItem>) {
    const byId = new Map<string, CatalogItem>();
    for (const item of items) byId.set(`${typeof item.spu_id}:${item.spu_id}`, item);
    this.items = [...byId.values()].sort((a, b) => compareIds(a.spu_id, b.spu_id));
  }

  /** Parses JSONL text; blank lines are skipped and a bad line is reported to `onBadLine` and skipped. */
  static fromJsonl(text: string, onBadLine: (lineNumber: number, error: string) => void): Catalog {
    const items: CatalogItem[] = [];
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      try {
        items.push(parseCatalogItem(line));
      } catch (error) {
        onBadLine(i + 1, (error as Error).message);
      }
    }
    return new Catalog(items);
  }

  /** How many items match. */
  count(features: Features): number {
    let n = 0;
    for (const item of this.items) if (matches(item, features)) n++;
    return n;
  }

  /** Page `page` (from 1) of `pageSize` matching items, by `spu_id` ascending. */
  search(features: Features, page: number, pageSize: number): CatalogItem[] {
    const from = (page - 1) * pageSize;
    const found: CatalogItem[] = [];
    let seen = 0;
    for (const item of this.items) {
      if (!matches(item, features)) continue;
      if (seen >= from) found.push(item);
      seen++;
      if (found.length === pageSize) break;
    }
    return found;
  }
}
