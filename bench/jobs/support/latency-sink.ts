/**
 * A sink for latency benchmarks: per record, the time since the record's `created` stamp goes into
 * a bounded histogram, and the result file carries the histogram besides count and first/last
 * times. Records created less than `warmupMs` after the first record this subtask received are
 * counted but not measured (they include deployment skew: producers may start before consumers
 * have subscribed).
 */
import type { Sink, SinkContext, SinkWriter } from 'sluice';
import { LatencyHistogram } from './latency-histogram.ts';
import { writeSinkResult } from './sink-result.ts';
import { wallClockMs } from './wall-clock.ts';

/** A record that knows its index and when it was made (`wallClockMs`). */
export interface StampedRecord {
  readonly id: number;
  readonly created: number;
}

/** Measures generator-to-sink latency into a result file under `resultDir`. */
export class LatencySink implements Sink<StampedRecord> {
  readonly kind = 'latency';

  constructor(
    private readonly resultDir: string,
    private readonly warmupMs: number,
  ) {}

  createWriter(context: SinkContext): SinkWriter<StampedRecord> {
    return new LatencySinkWriter(this.resultDir, context.subtaskIndex, this.warmupMs);
  }
}

class LatencySinkWriter implements SinkWriter<StampedRecord> {
  private readonly histogram = new LatencyHistogram();
  private count = 0;
  private sum = 0;
  private firstMs = 0;
  private lastMs = 0;
  private measureFrom = Number.POSITIVE_INFINITY;

  constructor(
    private readonly resultDir: string,
    private readonly subtask: number,
    private readonly warmupMs: number,
  ) {}

  async open(): Promise<void> {}

  write(record: StampedRecord): void {
    const now = wallClockMs();
    if (this.count === 0) {
      this.firstMs = now;
      this.measureFrom = record.created + this.warmupMs;
    }
    this.lastMs = now;
    this.count++;
    this.sum += record.id;
    if (record.created >= this.measureFrom) this.histogram.record(now - record.created);
  }

  async flush(): Promise<void> {}

  async finish(): Promise<void> {
    writeSinkResult(this.resultDir, {
      subtask: this.subtask,
      count: this.count,
      checksum: this.sum,
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      extra: this.histogram.snapshot(),
    });
  }

  async close(): Promise<void> {}
}
