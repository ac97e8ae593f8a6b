/**
 * Chained to each source: a record at or behind the source subtask's watermark is late and goes
 * to `late`; the others go on, tagged with their stream and the wall clock they were read at.
 */
import { OutputTag, type Collector, type ProcessContext, type ProcessFunction } from 'sluice';
import type { ClassEvent, Echoed, Kind, Tagged } from './events.ts';

/** The side output of late records. */
export const LATE = new OutputTag<Echoed>('late');

/** Whether a record with time `tm` is behind watermark `watermark` (no later record may be at or before it). */
export function isLate(tm: number, watermark: number): boolean {
  return tm <= watermark;
}

/** The filter of one stream. */
export class LateFilter implements ProcessFunction<ClassEvent, Tagged> {
  constructor(
    private readonly input: Kind,
    private readonly clock: () => number = Date.now,
  ) {}

  processElement(record: ClassEvent, ctx: ProcessContext, out: Collector<Tagged>): void {
    if (isLate(record.tm, ctx.currentWatermark())) ctx.output(LATE, { input: this.input, record });
    else out.collect({ input: this.input, record, ingestion_ms: this.clock() });
  }
}
