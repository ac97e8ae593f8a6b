/** The inputs of inventory-alert and the checks that make a line malformed. Every id is a safe integer. */

/** A `stock` record: the available quantity of a SKU in one warehouse (replaces the previous one). */
export interface StockRecord {
  readonly ts: number;
  readonly sku_id: number;
  readonly warehouse_id: number;
  readonly vender_id: number;
  readonly qty: number;
  readonly [extra: string]: unknown;
}

/** A `pv` record: page views that showed the SKU as out of stock. */
export interface PvRecord {
  readonly ts: number;
  readonly sku_id: number;
  readonly region_id: number;
  readonly pv: number;
  readonly [extra: string]: unknown;
}

/** A SKU's dimensions from `sku_dim`. */
export interface SkuDim {
  readonly sku_id: number;
  readonly vender_id: number;
  readonly category_id: number;
  readonly brand_id: number;
}

/** A row of `sku_rules`; its `vender_id` is informational. */
export interface SkuRule {
  readonly sku_id: number;
  readonly vender_id: number;
  readonly threshold: number;
  readonly status: number;
}

/** A row of `cate_brand_rules`. */
export interface CateBrandRule {
  readonly vender_id: number;
  readonly category_id: number;
  readonly brand_id: number;
  readonly threshold: number;
  readonly status: number;
}

/** A binlog-like change of a rule table. */
export interface RuleChange {
  readonly op: 'insert' | 'update' | 'delete';
  readonly row: Record<string, unknown>;
}

/** The columns of each table, in order. */
export const SKU_DIM_COLUMNS = ['sku_id', 'vender_id', 'category_id', 'brand_id'] as const;
export const SKU_RULE_COLUMNS = ['sku_id', 'vender_id', 'threshold', 'status'] as const;
export const CATE_BRAND_RULE_COLUMNS = ['vender_id', 'category_id', 'brand_id', 'threshold', 'status'] as const;

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** Reads an integer from JSON (a whole number) or from a CSV cell (a number literal with a whole value). */
export function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return undefined;
  const n = Number(text);
  return Number.isInteger(n) ? n : undefined;
}

/** Reads an id: a safe integer (from JSON or a CSV cell). */
export function idOf(value: unknown): number | undefined {
  const n = integerOf(value);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/** Why the named fields of a record are not ids/integers, or undefined. */
function badFields(record: Record<string, unknown>, ids: readonly string[], integers: readonly string[], json: boolean): string | undefined {
  for (const field of ids) {
    const value = record[field];
    if ((json && typeof value !== 'number') || idOf(value) === undefined) return `${field} must be a safe integer, got ${show(value ?? null)}`;
  }
  for (const field of integers) {
    const value = record[field];
    const n = integerOf(value);
    if ((json && typeof value !== 'number') || n === undefined || !Number.isSafeInteger(n)) return `${field} must be an integer, got ${show(value ?? null)}`;
  }
  return undefined;
}

/** Why a `stock` record is malformed, or undefined (the source's `validate`). */
export function invalidStock(record: Record<string, unknown>): string | undefined {
  return badFields(record, ['sku_id', 'warehouse_id', 'vender_id'], ['ts', 'qty'], true);
}

/** Why a `pv` record is malformed, or undefined. */
export function invalidPv(record: Record<string, unknown>): string | undefined {
  return badFields(record, ['sku_id', 'region_id'], ['ts', 'pv'], true);
}

/** Why a `sku_dim` row is malformed, or undefined. */
export function invalidSkuDim(row: Record<string, unknown>): string | undefined {
  return badFields(row, SKU_DIM_COLUMNS, [], false);
}

/** Why a `whitelist` row is malformed, or undefined. */
export function invalidWhitelist(row: Record<string, unknown>): string | undefined {
  return badFields(row, ['sku_id'], [], false);
}

/** Why a `sku_rules` row (CSV cells, or a change's JSON row when `json`) is malformed, or undefined. */
export function invalidSkuRule(row: Record<string, unknown>, json = false): string | undefined {
  return badFields(row, ['sku_id', 'vender_id'], ['threshold', 'status'], json);
}

/** Why a `cate_brand_rules` row is malformed, or undefined. */
export function invalidCateBrandRule(row: Record<string, unknown>, json = false): string | undefined {
  return badFields(row, ['vender_id', 'category_id', 'brand_id'], ['threshold', 'status'], json);
}

/** Why a change record is malformed, given the check of its row; a delete needs only the key fields. */
export function invalidChange(record: Record<string, unknown>, rowCheck: (row: Record<string, unknown>, json: boolean) => string | undefined, keyFields: readonly string[]): string | undefined {
  const op = record.op;
  if (op !== 'insert' && op !== 'update' && op !== 'delete') return `op must be one of "insert", "update", "delete", got ${show(op ?? null)}`;
  const row = record.row;
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return `row must be an object, got ${show(row ?? null)}`;
  const r = row as Record<string, unknown>;
  if (op === 'delete') return badFields(r, keyFields, [], true)?.replace(/^/, 'row.');
  const problem = rowCheck(r, true);
  return problem === undefined ? undefined : `row.${problem}`;
}

/** The `sku_dim` row as numbers. */
export function toSkuDim(row: Record<string, unknown>): SkuDim {
  return { sku_id: idOf(row.sku_id)!, vender_id: idOf(row.vender_id)!, category_id: idOf(row.category_id)!, brand_id: idOf(row.brand_id)! };
}

/** A valid `sku_rules` row (CSV or JSON) as numbers. */
export function toSkuRule(row: Record<string, unknown>): SkuRule {
  return { sku_id: idOf(row.sku_id)!, vender_id: idOf(row.vender_id)!, threshold: integerOf(row.threshold)!, status: integerOf(row.status)! };
}

/** A valid `cate_brand_rules` row (CSV or JSON) as numbers. */
export function toCateBrandRule(row: Record<string, unknown>): CateBrandRule {
  return { vender_id: idOf(row.vender_id)!, category_id: idOf(row.category_id)!, brand_id: idOf(row.brand_id)!, threshold: integerOf(row.threshold)!, status: integerOf(row.status)! };
}

/** The key of a category-brand rule, as its state and the REST API name it: `vender,category,brand`. */
export function cateBrandKey(vender_id: number, category_id: number, brand_id: number): string {
  return `${vender_id},${category_id},${brand_id}`;
}
