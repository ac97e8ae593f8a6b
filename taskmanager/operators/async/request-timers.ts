/**
 * The timeout and retry timers of an async wait operator. They are scheduled on the task's
 * processing-time service (so they normally fire as mail), but are also tracked here, so that
 * `finish` — which the task awaits without running mail — can fire the ones that are due itself.
 * Each timer fires at most once, whichever way comes first.
 */
import type { Cancellable, ProcessingTimeScheduler } from '../processing-time-scheduler.ts';

interface Timer {
  readonly time: number;
  readonly callback: () => void;
  cancel: Cancellable;
}

/** Tracked, fire-once processing-time timers. */
export class RequestTimers {
  private readonly pending = new Set<Timer>();

  constructor(
    private readonly scheduler: ProcessingTimeScheduler,
    /** Called after any timer fired. */
    private readonly onFired: () => void,
  ) {}

  /** Runs `callback` once at or after processing time `time`, unless cancelled first. */
  schedule(time: number, callback: () => void): Cancellable {
    const timer: Timer = { time, callback, cancel: () => {} };
    this.pending.add(timer);
    timer.cancel = this.scheduler.schedule(time, () => this.fire(timer));
    return () => {
      if (this.pending.delete(timer)) timer.cancel();
    };
  }

  /** Fires, in time order, every timer due at `now`. */
  fireDue(now: number): void {
    for (;;) {
      let due: Timer | undefined;
      for (const t of this.pending) if (t.time <= now && (!due || t.time < due.time)) due = t;
      if (!due) return;
      due.cancel();
      this.fire(due);
    }
  }

  /** The earliest pending time, or undefined. */
  nextTime(): number | undefined {
    let next: number | undefined;
    for (const t of this.pending) if (next === undefined || t.time < next) next = t.time;
    return next;
  }

  /** Cancels every pending timer. */
  cancelAll(): void {
    for (const t of this.pending) t.cancel();
    this.pending.clear();
  }

  private fire(timer: Timer): void {
    if (!this.pending.delete(timer)) return;
    timer.callback();
    this.onFired();
  }
}
