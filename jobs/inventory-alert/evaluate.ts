/**
 * The evaluation, keyed by `sku_id`, with both rule tables as broadcast state. Stock and page
 * views wait in keyed state for event time: a stock record is evaluated by a timer at its `ts`,
 * per SKU in `ts` order with ties in arrival (input) order, once the watermark has passed it. The
 * tables without watermarks (`sku_dim`, `whitelist`, both rule snapshots) hold event time at its
 * minimum until they end, so no stock record is evaluated before they are loaded.
 */
import {
  ListStateDescriptor,
  MapStateDescriptor,
  MIN_WATERMARK,
  ValueStateDescriptor,
  type BroadcastContext,
  type BroadcastState,
  type Collector,
  type KeyedBroadcastOnTimerContext,
  type KeyedBroadcastProcessFunction,
  type KeyedReadOnlyBroadcastContext,
  type ListState,
  type MapState,
  type RuntimeContext,
  type ValueState,
} from 'sluice';
import type { Evaluated, RuleEvent, SkuInput } from './inputs.ts';
import { cateBrandKey, type CateBrandRule, type PvRecord, type SkuDim, type SkuRule, type StockRecord } from './records.ts';
import { levelOf, pvWithin, PV_WINDOW_MS, resolveRule } from './rules.ts';

/** The SKU rules by `sku_id` (inactive ones included), as the snapshot and the changes left them; queryable as `sku_rules`. */
export const SKU_RULES = new MapStateDescriptor<number, SkuRule>('sku_rules', { queryable: 'sku_rules' });
/** The category-brand rules by `vender,category,brand` (inactive ones included); queryable as `cate_brand_rules`. */
export const CATE_BRAND_RULES = new MapStateDescriptor<string, CateBrandRule>('cate_brand_rules', { queryable: 'cate_brand_rules' });
/** Keys a change has touched, so that a snapshot row arriving later does not undo the change (per table). */
export const SKU_CHANGED = new MapStateDescriptor<number, true>('sku_rules_changed');
/** The category-brand keys a change has touched. */
export const CATE_BRAND_CHANGED = new MapStateDescriptor<string, true>('cate_brand_rules_changed');

/** Page views older than this behind the watermark are dropped, rounded up to a minute per timer. */
const CLEANUP_ROUND_MS = 60_000;

function applyRule<K extends number | string, V>(rules: BroadcastState<K, V>, changed: BroadcastState<K, true>, source: 'snapshot' | 'change', key: K, rule: V | undefined): void {
  if (source === 'snapshot' && changed.contains(key)) return;
  if (source === 'change') changed.put(key, true);
  if (rule === undefined) rules.remove(key);
  else rules.put(key, rule);
}

/** See the module comment. */
export class Evaluation implements KeyedBroadcastProcessFunction<number, SkuInput, RuleEvent, Evaluated> {
  private whitelisted!: ValueState<boolean>;
  private dim!: ValueState<SkuDim>;
  private pending!: ListState<StockRecord>;
  private views!: ListState<{ ts: number; pv: number }>;
  private quantities!: MapState<number, number>;

  open(ctx: RuntimeContext): void {
    this.whitelisted = ctx.getState(new ValueStateDescriptor<boolean>('whitelisted'));
    this.dim = ctx.getState(new ValueStateDescriptor<SkuDim>('dim'));
    this.pending = ctx.getListState(new ListStateDescriptor<StockRecord>('pending'));
    this.views = ctx.getListState(new ListStateDescriptor<{ ts: number; pv: number }>('views'));
    this.quantities = ctx.getMapState(new MapStateDescriptor<number, number>('quantities'));
  }

  processBroadcastElement(event: RuleEvent, ctx: BroadcastContext): void {
    if (event.table === 'sku') {
      const key = event.op === 'delete' ? event.key : event.rule.sku_id;
      applyRule(ctx.getBroadcastState(SKU_RULES), ctx.getBroadcastState(SKU_CHANGED), event.source, key, event.op === 'delete' ? undefined : event.rule);
    } else {
      const key = event.op === 'delete' ? event.key : cateBrandKey(event.rule.vender_id, event.rule.category_id, event.rule.brand_id);
      applyRule(ctx.getBroadcastState(CATE_BRAND_RULES), ctx.getBroadcastState(CATE_BRAND_CHANGED), event.source, key, event.op === 'delete' ? undefined : event.rule);
    }
  }

  processElement(input: SkuInput, ctx: KeyedReadOnlyBroadcastContext<number>): void {
    const loaded = ctx.currentWatermark() !== MIN_WATERMARK;
    switch (input.kind) {
      case 'white':
        this.whitelisted.update(true);
        return;
      case 'dim':
        this.dim.update(input.dim);
        return;
      case 'stock':
        if (loaded && this.whitelisted.value() !== true) return;
        this.pending.add(input.record);
        ctx.timerService().registerEventTimeTimer(input.record.ts);
        return;
      case 'pv':
        this.addView(input.record, loaded, ctx);
    }
  }

  onTimer(timestamp: number, ctx: KeyedBroadcastOnTimerContext<number>, out: Collector<Evaluated>): void {
    const pending = this.pending.get();
    const due: StockRecord[] = [];
    const rest: StockRecord[] = [];
    for (const record of pending) (record.ts <= timestamp ? due : rest).push(record);
    if (due.length > 0) {
      if (rest.length === 0) this.pending.clear();
      else this.pending.update(rest);
      if (this.whitelisted.value() === true) {
        due.sort((a, b) => a.ts - b.ts);
        const views = this.views.get();
        for (const record of due) out.collect(this.evaluate(record, views, ctx));
      }
    }
    let bound = ctx.currentWatermark();
    for (const record of rest) bound = Math.min(bound, record.ts);
    this.pruneViews(bound);
  }

  private addView(record: PvRecord, loaded: boolean, ctx: KeyedReadOnlyBroadcastContext<number>): void {
    if (loaded && this.whitelisted.value() !== true) return;
    this.views.add({ ts: record.ts, pv: record.pv });
    const cleanup = Math.ceil((record.ts + PV_WINDOW_MS) / CLEANUP_ROUND_MS) * CLEANUP_ROUND_MS;
    ctx.timerService().registerEventTimeTimer(cleanup);
  }

  /**
   * Drops page views that no stock record still to come can count: those at or before
   * `bound - 5 min`, where `bound` is the watermark or an earlier pending record's `ts`.
   */
  private pruneViews(bound: number): void {
    const views = this.views.get();
    const kept = views.filter((view) => view.ts > bound - PV_WINDOW_MS);
    if (kept.length === views.length) return;
    if (kept.length === 0) this.views.clear();
    else this.views.update(kept);
  }

  private evaluate(record: StockRecord, views: readonly { ts: number; pv: number }[], ctx: KeyedReadOnlyBroadcastContext<number>): Evaluated {
    this.quantities.put(record.warehouse_id, record.qty);
    let total_qty = 0;
    for (const qty of this.quantities.values()) total_qty += qty;
    const cateBrand = ctx.getBroadcastState(CATE_BRAND_RULES);
    const rule = resolveRule(ctx.getBroadcastState(SKU_RULES).get(record.sku_id), record.vender_id, this.dim.value(), (v, c, b) => cateBrand.get(cateBrandKey(v, c, b)));
    return {
      ts: record.ts,
      sku_id: record.sku_id,
      vender_id: record.vender_id,
      level: levelOf(total_qty, rule),
      total_qty,
      threshold: rule?.threshold ?? null,
      rule: rule?.rule ?? null,
      pv_5m: pvWithin(record.ts, views),
    };
  }
}
