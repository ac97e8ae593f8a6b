/** Rule resolution and the stock level: the pure core of inventory-alert. */
import type { CateBrandRule, SkuDim, SkuRule } from './records.ts';

/** A stock level; `RECOVERED` is how a change back to `NONE` is emitted. */
export type Level = 'NONE' | 'LOW_STOCK' | 'OUT_OF_STOCK';

/** The rule that applies to a stock record. */
export interface AppliedRule {
  readonly rule: 'sku' | 'cate_brand';
  readonly threshold: number;
}

/** Whether a rule row is active: `status` 1, any other value is inactive. */
export function isActive(rule: { readonly status: number }): boolean {
  return rule.status === 1;
}

/**
 * The rule of a stock record: an active SKU rule wins; otherwise the active category-brand rule
 * of `(vender_id of the record, category and brand of sku_dim)`; a SKU without `sku_dim` can only
 * have a SKU rule. `cateBrand` looks a rule up by its three ids.
 */
export function resolveRule(
  skuRule: SkuRule | undefined,
  vender_id: number,
  dim: SkuDim | undefined,
  cateBrand: (vender_id: number, category_id: number, brand_id: number) => CateBrandRule | undefined,
): AppliedRule | undefined {
  if (skuRule !== undefined && isActive(skuRule)) return { rule: 'sku', threshold: skuRule.threshold };
  if (dim === undefined) return undefined;
  const rule = cateBrand(vender_id, dim.category_id, dim.brand_id);
  return rule !== undefined && isActive(rule) ? { rule: 'cate_brand', threshold: rule.threshold } : undefined;
}

/** The level of a SKU's total quantity under a rule (before the network check). */
export function levelOf(total_qty: number, rule: AppliedRule | undefined): Level {
  if (rule === undefined) return 'NONE';
  if (total_qty === 0) return 'OUT_OF_STOCK';
  if (total_qty > 0 && total_qty <= rule.threshold) return 'LOW_STOCK';
  return 'NONE';
}

/** The level after the network check: stock elsewhere in the network above the threshold clears it. */
export function confirmedLevel(level: Level, rule: AppliedRule | undefined, network_qty: number): Level {
  if (level === 'NONE' || rule === undefined) return level;
  return network_qty > rule.threshold ? 'NONE' : level;
}

/** The page views of the last 5 minutes that count for a stock record at `ts`. */
export const PV_WINDOW_MS = 300_000;

/** The sum of `pv` over records with `ts` in `(ts - 300000, ts]`. */
export function pvWithin(ts: number, views: readonly { readonly ts: number; readonly pv: number }[]): number {
  let sum = 0;
  for (const view of views) if (view.ts > ts - PV_WINDOW_MS && view.ts <= ts) sum += view.pv;
  return sum;
}

/** `P1` at 100 page views in 5 minutes or more, else `P2`. */
export function priorityOf(pv_5m: number): 'P1' | 'P2' {
  return pv_5m >= 100 ? 'P1' : 'P2';
}
