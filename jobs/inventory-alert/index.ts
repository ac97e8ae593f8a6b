/**
 * inventory-alert (seed 004): rule-driven stock alerts for third-party sellers. Stock changes
 * (`stock`) of whitelisted SKUs (`whitelist`) are summed per SKU over its warehouses, judged by the
 * SKU's rule or its category-brand rule (`sku_rules`, `cate_brand_rules` and their change streams,
 * broadcast; categories and brands from `sku_dim`), confirmed against the warehouse-network stock
 * service (`network`), joined with the last 5 minutes of out-of-stock page views (`pv`), and
 * emitted to `alerts` when a SKU's level changes. `late` and `malformed` get what is set aside.
 * See README.md.
 */
import { AsyncDataStream, defineJob, MALFORMED, WatermarkStrategy, type DataStream, type MalformedRecord } from 'sluice';
import { LevelAlerts } from './alerts.ts';
import { CATE_BRAND_RULES, Evaluation, SKU_RULES, SKU_CHANGED, CATE_BRAND_CHANGED } from './evaluate.ts';
import { skuOf, type SkuInput } from './inputs.ts';
import { LATE, PvLateFilter, StockLateFilter } from './late-filter.ts';
import { NETWORK_TIMEOUT_MS, NetworkCheck } from './network-check.ts';
import { idOf, invalidPv, invalidSkuDim, invalidStock, invalidWhitelist, toSkuDim, type PvRecord, type StockRecord } from './records.ts';
import { ruleInputs } from './rule-inputs.ts';

/** The watermark bound of `stock` and `pv`. */
const OUT_OF_ORDERNESS_MS = 5_000;
/** Network checks in flight per subtask. */
const IN_FLIGHT = 64;
/** Calls per check: the first and 3 retries, 200 ms, 400 ms and 800 ms apart. */
const RETRY = { maxAttempts: 4, initialBackoffMs: 200, multiplier: 2, maxBackoffMs: 800 };

export default defineJob({
  name: 'inventory-alert',
  build(env, args) {
    const stockTime = WatermarkStrategy.forBoundedOutOfOrderness<StockRecord>(OUT_OF_ORDERNESS_MS).withTimestampAssigner((r) => r.ts);
    const pvTime = WatermarkStrategy.forBoundedOutOfOrderness<PvRecord>(OUT_OF_ORDERNESS_MS).withTimestampAssigner((r) => r.ts);
    const stock = env.fromSource(args.source<StockRecord>('stock', { format: 'jsonl', validate: invalidStock }), stockTime, 'stock');
    const pv = env.fromSource(args.source<PvRecord>('pv', { format: 'jsonl', validate: invalidPv }), pvTime, 'pv');
    const dims = env.fromSource(args.source('sku_dim', { format: 'csv', validate: invalidSkuDim }), 'sku_dim');
    const whitelist = env.fromSource(args.source('whitelist', { format: 'csv', validate: invalidWhitelist }), 'whitelist');
    const rules = ruleInputs(env, args);

    const stockIn = stock.process(new StockLateFilter()).name('stock-late-filter');
    const pvIn = pv.process(new PvLateFilter()).name('pv-late-filter');
    const skuData: DataStream<SkuInput> = stockIn.union(
      pvIn,
      dims.map((row): SkuInput => ({ kind: 'dim', dim: toSkuDim(row) })).name('sku-dim-rows'),
      whitelist.map((row): SkuInput => ({ kind: 'white', sku_id: idOf(row.sku_id)! })).name('whitelist-rows'),
    );
    const broadcastRules = rules.events.broadcast(SKU_RULES, CATE_BRAND_RULES, SKU_CHANGED, CATE_BRAND_CHANGED);
    const evaluated = skuData.keyBy(skuOf).connect(broadcastRules).process(new Evaluation()).name('evaluate');
    const checked = AsyncDataStream.orderedWait(evaluated, new NetworkCheck(args.get('network')), {
      capacity: IN_FLIGHT,
      timeoutMs: RETRY.maxAttempts * NETWORK_TIMEOUT_MS + 200 + 400 + 800 + 600,
      retry: RETRY,
    }).name('network-check');
    checked
      .keyBy((e) => e.sku_id)
      .process(new LevelAlerts())
      .name('level')
      .sinkTo(args.sink('alerts'))
      .name('alerts');

    const lateSink = args.optionalSink('late');
    if (lateSink) stockIn.getSideOutput(LATE).union(pvIn.getSideOutput(LATE)).sinkTo(lateSink).name('late');
    const malformedSink = args.optionalSink<MalformedRecord>('malformed');
    if (malformedSink) {
      const [first, ...rest] = [stock, pv, dims, whitelist].map((s) => (s as DataStream<unknown>).getSideOutput(MALFORMED)).concat(rules.malformed) as [DataStream<MalformedRecord>, ...DataStream<MalformedRecord>[]];
      first.union(...rest).sinkTo(malformedSink).name('malformed');
    }
  },
});
