/**
 * The sink of a `collect:` output: records go back to the JobManager (and from there to the
 * client), for tests and interactive runs.
 */
import type { Sink, SinkContext, SinkWriter } from '../../common/connector/sink.ts';

/** Default largest batch sent in one `pushCollected` call. */
export const DEFAULT_COLLECT_BATCH_SIZE = 1000;

/** Sends records with `SinkContext.pushCollected` in batches of at most `batchSize`. */
export class CollectSink implements Sink<unknown> {
  readonly kind = 'collect';

  constructor(private readonly batchSize = DEFAULT_COLLECT_BATCH_SIZE) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`collect sink: batchSize must be a positive integer, got ${batchSize}`);
  }

  createWriter(context: SinkContext): CollectSinkWriter {
    return new CollectSinkWriter(context, this.batchSize);
  }
}

/** Buffers records between flushes; `flush` and `finish` push them in order, batch by batch. */
export class CollectSinkWriter implements SinkWriter<unknown> {
  private buffer: unknown[] = [];

  constructor(
    private readonly context: SinkContext,
    private readonly batchSize: number,
  ) {}

  async open(): Promise<void> {}

  write(record: unknown): void {
    this.buffer.push(record);
  }

  async flush(): Promise<void> {
    const records = this.buffer;
    if (records.length === 0) return;
    this.buffer = [];
    for (let start = 0; start < records.length; start += this.batchSize) {
      await this.context.pushCollected(records.length <= this.batchSize ? records : records.slice(start, start + this.batchSize));
    }
  }

  async finish(): Promise<void> {
    await this.flush();
  }

  async close(): Promise<void> {
    this.buffer = [];
  }
}
