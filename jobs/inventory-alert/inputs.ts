/** What the two connected inputs of the evaluation carry: keyed SKU data, and broadcast rule events. */
import type { CateBrandRule, PvRecord, SkuDim, SkuRule, StockRecord } from './records.ts';

/** A record of the keyed side, tagged with what it is; all are keyed by `sku_id`. */
export type SkuInput =
  | { readonly kind: 'stock'; readonly record: StockRecord }
  | { readonly kind: 'pv'; readonly record: PvRecord }
  | { readonly kind: 'dim'; readonly dim: SkuDim }
  | { readonly kind: 'white'; readonly sku_id: number };

/** The SKU a keyed input is about. */
export function skuOf(input: SkuInput): number {
  switch (input.kind) {
    case 'stock':
    case 'pv':
      return input.record.sku_id;
    case 'dim':
      return input.dim.sku_id;
    case 'white':
      return input.sku_id;
  }
}

/**
 * A rule event of the broadcast side: a snapshot row, or a change. A snapshot row never
 * overrides a key that a change has already touched, so the order in which the snapshot and the
 * change stream arrive does not matter.
 */
export type RuleEvent =
  | { readonly table: 'sku'; readonly source: 'snapshot' | 'change'; readonly op: 'upsert'; readonly rule: SkuRule }
  | { readonly table: 'sku'; readonly source: 'change'; readonly op: 'delete'; readonly key: number }
  | { readonly table: 'cate_brand'; readonly source: 'snapshot' | 'change'; readonly op: 'upsert'; readonly rule: CateBrandRule }
  | { readonly table: 'cate_brand'; readonly source: 'change'; readonly op: 'delete'; readonly key: string };

/** A stock record after evaluation, before the network check. */
export interface Evaluated {
  readonly ts: number;
  readonly sku_id: number;
  readonly vender_id: number;
  readonly level: 'NONE' | 'LOW_STOCK' | 'OUT_OF_STOCK';
  readonly total_qty: number;
  readonly threshold: number | null;
  readonly rule: 'sku' | 'cate_brand' | null;
  readonly pv_5m: number;
}
