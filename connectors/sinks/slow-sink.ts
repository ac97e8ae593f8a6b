/**
 * A deliberately slow sink, to test backpressure.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sink, SinkContext, SinkWriter } from '../../common/connector/sink.ts';

/** How slow a slow sink is. */
export interface SlowSinkOptions {
  /** Milliseconds each flush that has records waits, on a real timer. */
  readonly delayMs: number;
  /**
   * When given, a flush waits `delayMs` for every started group of this many records, which caps
   * the sink at `recordsPerFlush` records per `delayMs`. Otherwise a flush waits `delayMs` once.
   */
  readonly recordsPerFlush?: number;
}

/**
 * Discards records slowly and counts them. The counts are shared by the writers created in this
 * process, so an in-process test can read them from the sink.
 */
export class SlowSink implements Sink<unknown> {
  readonly kind = 'slow';
  /** Records handed to `write`. */
  written = 0;
  /** Records whose flush has completed. */
  flushed = 0;

  constructor(readonly options: SlowSinkOptions) {
    if (!(options.delayMs >= 0)) throw new Error(`slow sink: delayMs must be non-negative, got ${options.delayMs}`);
    const perFlush = options.recordsPerFlush;
    if (perFlush !== undefined && !(Number.isInteger(perFlush) && perFlush > 0)) {
      throw new Error(`slow sink: recordsPerFlush must be a positive integer, got ${perFlush}`);
    }
  }

  createWriter(_context: SinkContext): SlowSinkWriter {
    return new SlowSinkWriter(this);
  }
}

/** Counts records on `write` and waits in `flush`. */
export class SlowSinkWriter implements SinkWriter<unknown> {
  private pending = 0;

  constructor(private readonly sink: SlowSink) {}

  async open(): Promise<void> {}

  write(_record: unknown): void {
    this.pending++;
    this.sink.written++;
  }

  async flush(): Promise<void> {
    const count = this.pending;
    if (count === 0) return;
    this.pending = 0;
    const { delayMs, recordsPerFlush } = this.sink.options;
    const waits = recordsPerFlush === undefined ? 1 : Math.ceil(count / recordsPerFlush);
    await sleep(delayMs * waits);
    this.sink.flushed += count;
  }

  async finish(): Promise<void> {
    await this.flush();
  }

  async close(): Promise<void> {}
}
