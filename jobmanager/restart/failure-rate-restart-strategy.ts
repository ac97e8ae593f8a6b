/**
 * Flink's failure-rate restart strategy: the job may fail now and then for its whole life, but
 * gives up when failures come faster than a rate.
 */
import { requireNonNegative } from './check-options.ts';
import type { RestartStrategy } from './restart-strategy.ts';

/** Settings of {@link FailureRateRestartStrategy}. */
export interface FailureRateRestartOptions {
  /** Restarts allowed within any window of `intervalMs` (whole number >= 0). */
  readonly maxFailures: number;
  /** Length of the sliding window, in ms (> 0). */
  readonly intervalMs: number;
  /** Wait before every restart, in ms. */
  readonly delayMs: number;
}

/**
 * Restarts after `delayMs` as long as at most `maxFailures` restarts fall in the sliding window
 * `(now - intervalMs, now]`: the failure that would make it `maxFailures + 1` ends the job. Once
 * it has given up it keeps giving up.
 */
export class FailureRateRestartStrategy implements RestartStrategy {
  /** Times of the granted restarts' failures still inside the window, oldest first. */
  private readonly window: number[] = [];
  private count = 0;
  private gaveUp = false;

  constructor(private readonly options: FailureRateRestartOptions) {
    if (!Number.isInteger(options.maxFailures) || options.maxFailures < 0) {
      throw new RangeError(`failure-rate: maxFailures must be a whole number >= 0, got ${options.maxFailures}`);
    }
    if (!Number.isFinite(options.intervalMs) || options.intervalMs <= 0) {
      throw new RangeError(`failure-rate: intervalMs must be a finite number > 0, got ${options.intervalMs}`);
    }
    requireNonNegative('failure-rate', 'delayMs', options.delayMs);
  }

  /** Restarts so far. */
  get restarts(): number {
    return this.count;
  }

  /** Grants a restart unless the window already holds `maxFailures` failures. */
  onFailure(now: number): number | undefined {
    if (this.gaveUp) return undefined;
    for (let oldest = this.window[0]; oldest !== undefined && oldest <= now - this.options.intervalMs; oldest = this.window[0]) {
      this.window.shift();
    }
    if (this.window.length >= this.options.maxFailures) {
      this.gaveUp = true;
      return undefined;
    }
    this.window.push(now);
    this.count++;
    return this.options.delayMs;
  }

  /** E.g. "failure-rate(3 failures per 60000 ms, 500 ms)". */
  describe(): string {
    const { maxFailures, intervalMs, delayMs } = this.options;
    return `failure-rate(${maxFailures} failure${maxFailures === 1 ? '' : 's'} per ${intervalMs} ms, ${delayMs} ms)`;
  }
}
