/** Lets an async loop sleep until something happened or a time limit passed. */

/** A one-shot wake-up signal, re-armed by each `wait`. */
export class WakeUp {
  private waiter: (() => void) | undefined;

  /** Wakes the current waiter, if any. */
  signal(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Resolves at the next `signal`, or after `maxMs` wall-clock milliseconds. */
  wait(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.waiter === done) this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.waiter = done;
    });
  }
}
