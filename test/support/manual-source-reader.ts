/**
 * A source reader for task tests, fed by the test: `push` queues records, `end` ends the input.
 * One split, `manual`, whose position is the number of records emitted, so a checkpoint's split
 * state says exactly how far the source had read.
 */
import { deferred, type Deferred } from '../../common/async.ts';
import type { PollStatus, SourceOutput, SourceReader, SourceSplit } from '../../common/connector/source.ts';

/** The reader's one split with its position. */
export interface ManualSplit extends SourceSplit {
  readonly emitted: number;
}

/** See the module comment. */
export class ManualSourceReader implements SourceReader<unknown> {
  private readonly queue: unknown[] = [];
  private emitted = 0;
  private ended = false;
  private waiter: Deferred<void> | undefined;
  /** Whether the task closed the reader. */
  closed = false;

  /** Queues records for the next polls. */
  push(...records: unknown[]): void {
    this.queue.push(...records);
    this.wake();
  }

  /** Ends the input once the queued records are read. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  async open(): Promise<void> {}

  addSplits(splits: readonly SourceSplit[]): void {
    const split = splits[0] as ManualSplit | undefined;
    if (split) this.emitted = split.emitted;
  }

  pollNext(output: SourceOutput<unknown>, maxRecords: number): PollStatus {
    let n = 0;
    while (n < maxRecords && this.queue.length > 0) {
      output.collect(this.queue.shift());
      this.emitted++;
      n++;
    }
    if (this.queue.length > 0) return 'more';
    return this.ended ? 'end' : 'nothing';
  }

  snapshotState(): ManualSplit[] {
    return [{ id: 'manual', emitted: this.emitted }];
  }

  available(): Promise<void> {
    if (this.queue.length > 0 || this.ended) return Promise.resolve();
    this.waiter ??= deferred<void>();
    return this.waiter.promise;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }
}
