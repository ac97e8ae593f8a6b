/**
 * A sink for benchmarks: counts records and sums a checksum per record, notes when the first and
 * the last record arrived, and writes that to a result file when its subtask finishes.
 */
import type { Sink, SinkContext, SinkWriter } from 'sluice';
import { wallClockMs } from './wall-clock.ts';
import { writeSinkResult } from './sink-result.ts';

/** A number derived from one record, summed by the sink. */
export type Checksum<T> = (record: T) => number;

/** Counts into a result file under `resultDir`; see `SinkResult`. */
export class CountingSink<T> implements Sink<T> {
  readonly kind = 'counting';

  constructor(
    private readonly resultDir: string,
    private readonly checksum: Checksum<T>,
  ) {}

  createWriter(context: SinkContext): SinkWriter<T> {
    return new CountingSinkWriter(this.resultDir, context.subtaskIndex, this.checksum);
  }
}

/**
 * The per-record work is a counter, a sum and a branch. The clock is read for the first record
 * and at batch boundaries (`flush`), so the last batch's end is the end of the measurement.
 */
class CountingSinkWriter<T> implements SinkWriter<T> {
  private count = 0;
  private sum = 0;
  private firstMs = 0;
  private lastMs = 0;
  private flushedCount = 0;

  constructor(
    private readonly resultDir: string,
    private readonly subtask: number,
    private readonly checksum: Checksum<T>,
  ) {}

  async open(): Promise<void> {}

  write(record: T): void {
    if (this.count === 0) this.firstMs = wallClockMs();
    this.count++;
    this.sum += this.checksum(record);
  }

  async flush(): Promise<void> {
    if (this.count !== this.flushedCount) {
      this.flushedCount = this.count;
      this.lastMs = wallClockMs();
    }
  }

  async finish(): Promise<void> {
    await this.flush();
    writeSinkResult(this.resultDir, { subtask: this.subtask, count: this.count, checksum: this.sum, firstMs: this.firstMs, lastMs: this.lastMs });
  }

  async close(): Promise<void> {}
}
