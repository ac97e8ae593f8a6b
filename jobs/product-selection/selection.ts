/** The `selections` input: a pool's upsert or delete, and the check that makes a line malformed. */
import { isId, type Id } from './ids.ts';

/** What a pool selects from the catalog. */
export interface Features {
  readonly category: string;
  /** Undefined: any brand. */
  readonly brand?: string;
  readonly price_min_cents: number;
  readonly price_max_cents: number;
  readonly min_sales: number;
}

/** A valid selection record, as read (extra fields kept). */
export interface Selection {
  readonly ts: number;
  readonly pool_id: Id;
  readonly op: 'upsert' | 'delete';
  readonly features?: Features;
  readonly [extra: string]: unknown;
}

/** Whether a value is a JSON integer (a whole number, `5.0` and `1e3` included). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Why a features object is unusable, or undefined when it is valid. */
export function invalidFeatures(features: unknown): string | undefined {
  if (typeof features !== 'object' || features === null || Array.isArray(features)) return `features must be an object for an upsert, got ${show(features)}`;
  const f = features as Record<string, unknown>;
  if (typeof f.category !== 'string') return `features.category must be a string, got ${show(f.category)}`;
  if (present(f.brand) && typeof f.brand !== 'string') return `features.brand must be a string or absent, got ${show(f.brand)}`;
  for (const field of ['price_min_cents', 'price_max_cents', 'min_sales'] as const) {
    if (!isInteger(f[field])) return `features.${field} must be an integer, got ${show(f[field])}`;
  }
  return undefined;
}

/** Why a selection record is malformed, or undefined when it is valid (the source's `validate`). */
export function invalidSelection(record: Record<string, unknown>): string | undefined {
  if (!isInteger(record.ts)) return `ts must be an integer, got ${show(record.ts)}`;
  if (!isId(record.pool_id)) return `pool_id must be a string or a safe integer, got ${show(record.pool_id)}`;
  if (record.op === 'delete') return undefined;
  if (record.op !== 'upsert') return `op must be "upsert" or "delete", got ${show(record.op)}`;
  return invalidFeatures(record.features);
}

/** The features of a valid upsert, with a null brand dropped (no brand filter). */
export function featuresOf(selection: Selection): Features {
  const f = selection.features as Features & { brand?: string | null };
  const base = { category: f.category, price_min_cents: f.price_min_cents, price_max_cents: f.price_max_cents, min_sales: f.min_sales };
  return typeof f.brand === 'string' ? { ...base, brand: f.brand } : base;
}

/** The query string of a features object, as the SPU search service reads it. */
export function featuresQuery(features: Features): URLSearchParams {
  const query = new URLSearchParams({ category: features.category });
  if (features.brand !== undefined) query.set('brand', features.brand);
  query.set('price_min_cents', String(features.price_min_cents));
  query.set('price_max_cents', String(features.price_max_cents));
  query.set('min_sales', String(features.min_sales));
  return query;
}

/** Reads a features object back from a query string; throws naming the bad parameter. */
export function featuresFromQuery(query: Readonly<Record<string, string | undefined>>): Features {
  const integer = (name: string): number => {
    const text = query[name];
    const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isInteger(value)) throw new Error(`query parameter ${name} must be an integer, got ${JSON.stringify(text ?? null)}`);
    return value;
  };
  const category = query.category;
  if (category === undefined) throw new Error('query parameter category is missing');
  const base = { category, price_min_cents: integer('price_min_cents'), price_max_cents: integer('price_max_cents'), min_sales: integer('min_sales') };
  return query.brand === undefined ? base : { ...base, brand: query.brand };
}
