/** The rule inputs: both snapshots and their optional change streams, as broadcast rule events. */
import { MALFORMED, WatermarkStrategy, type DataStream, type JobArgs, type MalformedRecord, type StreamExecutionEnvironment } from 'sluice';
import type { RuleEvent } from './inputs.ts';
import {
  cateBrandKey,
  idOf,
  invalidCateBrandRule,
  invalidChange,
  invalidSkuRule,
  toCateBrandRule,
  toSkuRule,
  type RuleChange,
} from './records.ts';

/** A change stream goes idle after this long without records, so that it does not hold event time. */
const CHANGE_IDLENESS_MS = 1_000;

/**
 * The event time of a change stream. A `file:` change stream is bounded: it carries no watermarks,
 * so, like the snapshots, it is applied completely before any stock record is evaluated, and a run
 * over files is reproducible. Any other stream is unbounded: its changes are stamped with the wall
 * clock when read and the stream goes idle when silent, so changes apply as they arrive.
 */
function changeWatermarks(uri: string): WatermarkStrategy<RuleChange> {
  if (uri.startsWith('file:')) return WatermarkStrategy.noWatermarks<RuleChange>();
  return WatermarkStrategy.forMonotonousTimestamps<RuleChange>()
    .withTimestampAssigner(() => Date.now())
    .withIdleness(CHANGE_IDLENESS_MS);
}

/** A valid change of `sku_rules` as a rule event. */
export function skuRuleChange(change: RuleChange): RuleEvent {
  if (change.op === 'delete') return { table: 'sku', source: 'change', op: 'delete', key: idOf(change.row.sku_id)! };
  return { table: 'sku', source: 'change', op: 'upsert', rule: toSkuRule(change.row) };
}

/** A valid change of `cate_brand_rules` as a rule event. */
export function cateBrandRuleChange(change: RuleChange): RuleEvent {
  const r = change.row;
  if (change.op === 'delete') return { table: 'cate_brand', source: 'change', op: 'delete', key: cateBrandKey(idOf(r.vender_id)!, idOf(r.category_id)!, idOf(r.brand_id)!) };
  return { table: 'cate_brand', source: 'change', op: 'upsert', rule: toCateBrandRule(r) };
}

/** The rule events of every rule input, and the malformed lines of them. */
export function ruleInputs(env: StreamExecutionEnvironment, args: JobArgs): { events: DataStream<RuleEvent>; malformed: DataStream<MalformedRecord>[] } {
  const skuRows = env.fromSource(args.source('sku_rules', { format: 'csv', validate: (row) => invalidSkuRule(row) }), 'sku_rules');
  const cateRows = env.fromSource(args.source('cate_brand_rules', { format: 'csv', validate: (row) => invalidCateBrandRule(row) }), 'cate_brand_rules');
  const events: DataStream<RuleEvent>[] = [
    skuRows.map((row): RuleEvent => ({ table: 'sku', source: 'snapshot', op: 'upsert', rule: toSkuRule(row) })).name('sku-rule-rows'),
    cateRows.map((row): RuleEvent => ({ table: 'cate_brand', source: 'snapshot', op: 'upsert', rule: toCateBrandRule(row) })).name('cate-brand-rule-rows'),
  ];
  const malformed = [skuRows.getSideOutput(MALFORMED), cateRows.getSideOutput(MALFORMED)];
  if (args.has('sku_rule_changes')) {
    const validate = (record: Record<string, unknown>): string | undefined => invalidChange(record, invalidSkuRule, ['sku_id']);
    const changes = env.fromSource(args.source<RuleChange>('sku_rule_changes', { format: 'jsonl', validate }), changeWatermarks(args.get('sku_rule_changes')), 'sku_rule_changes');
    events.push(changes.map(skuRuleChange).name('sku-rule-changes'));
    malformed.push(changes.getSideOutput(MALFORMED));
  }
  if (args.has('cate_brand_rule_changes')) {
    const validate = (record: Record<string, unknown>): string | undefined => invalidChange(record, invalidCateBrandRule, ['vender_id', 'category_id', 'brand_id']);
    const changes = env.fromSource(args.source<RuleChange>('cate_brand_rule_changes', { format: 'jsonl', validate }), changeWatermarks(args.get('cate_brand_rule_changes')), 'cate_brand_rule_changes');
    events.push(changes.map(cateBrandRuleChange).name('cate-brand-rule-changes'));
    malformed.push(changes.getSideOutput(MALFORMED));
  }
  const [first, ...rest] = events as [DataStream<RuleEvent>, ...DataStream<RuleEvent>[]];
  return { events: first.union(...rest), malformed };
}
