/**
 * Chained to the `stock` and `pv` sources: a record at or behind its source subtask's watermark is
 * late and goes to `late` as `{input, record}`; the others go on, tagged for the evaluation.
 */
import { OutputTag, type Collector, type ProcessContext, type ProcessFunction } from 'sluice';
import type { SkuInput } from './inputs.ts';
import type { PvRecord, StockRecord } from './records.ts';

/** A `late` line. */
export interface LateRecord {
  readonly input: 'stock' | 'pv';
  readonly record: StockRecord | PvRecord;
}

/** The side output of late records. */
export const LATE = new OutputTag<LateRecord>('late');

/** Whether a record at `ts` is behind `watermark`: no record at or before the watermark may still come. */
export function isLate(ts: number, watermark: number): boolean {
  return ts <= watermark;
}

/** The filter of the `stock` stream. */
export class StockLateFilter implements ProcessFunction<StockRecord, SkuInput> {
  processElement(record: StockRecord, ctx: ProcessContext, out: Collector<SkuInput>): void {
    if (isLate(record.ts, ctx.currentWatermark())) ctx.output(LATE, { input: 'stock', record });
    else out.collect({ kind: 'stock', record });
  }
}

/** The filter of the `pv` stream. */
export class PvLateFilter implements ProcessFunction<PvRecord, SkuInput> {
  processElement(record: PvRecord, ctx: ProcessContext, out: Collector<SkuInput>): void {
    if (isLate(record.ts, ctx.currentWatermark())) ctx.output(LATE, { input: 'pv', record });
    else out.collect({ kind: 'pv', record });
  }
}
