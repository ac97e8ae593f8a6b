/**
 * The wake-up of a source reader's `available()`: one shared promise that background reads
 * resolve with `notify`, optionally also resolved by a timer (for a rate), so that readers of
 * files, NATS and other background-fed sources wait the same way.
 */

/** Resolves the pending `wait` on `notify` or when its delay passes; the timer never keeps the process alive. */
export class ReaderWakeup {
  private wake: (() => void) | undefined;
  private waiting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** Resolves the pending wait, if any; a bound function, so it can be handed to callbacks. */
  readonly notify = (): void => {
    const wake = this.wake;
    if (wake === undefined) return;
    this.wake = undefined;
    this.waiting = undefined;
    wake();
  };

  /** Waits until `notify`, or until `delayMs` have passed when given, whichever comes first. */
  wait(delayMs?: number): Promise<void> {
    const waiting = (this.waiting ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    }));
    if (delayMs !== undefined && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.notify();
      }, delayMs);
      this.timer.unref();
    }
    return waiting;
  }

  /** Whether a wait is pending (nobody to wake otherwise). */
  get pending(): boolean {
    return this.wake !== undefined;
  }

  /** Stops the timer and resolves the pending wait: the reader is closing. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.notify();
  }
}
