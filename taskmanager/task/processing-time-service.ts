/**
 * Wall-clock callbacks for the operators of one task. A callback never runs on its own: it is
 * queued as mail, so it runs in the task's thread of control between batches, like any record.
 */
import type { Cancellable, ProcessingTimeScheduler } from '../operators/processing-time-scheduler.ts';

/** Schedules callbacks at processing times, delivered through the task's mailbox. */
export class ProcessingTimeService implements ProcessingTimeScheduler {
  private readonly pending = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly enqueue: (mail: () => void) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The current processing time in epoch ms. */
  now(): number {
    return this.clock();
  }

  /** Runs `callback` in the task at or after `time`. */
  schedule(time: number, callback: () => void): Cancellable {
    if (this.closed) return () => {};
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        if (!this.closed) this.enqueue(callback);
      },
      Math.max(0, time - this.clock()),
    );
    this.pending.add(handle);
    return () => {
      clearTimeout(handle);
      this.pending.delete(handle);
    };
  }

  /** Cancels everything; later schedules do nothing. */
  close(): void {
    this.closed = true;
    for (const h of this.pending) clearTimeout(h);
    this.pending.clear();
  }
}
