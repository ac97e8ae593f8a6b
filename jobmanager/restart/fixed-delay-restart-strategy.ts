/** Flink's fixed-delay restart strategy: a fixed number of restarts, each after the same delay. */
import { describeAttempts, requireAttempts, requireNonNegative } from './check-options.ts';
import type { RestartStrategy } from './restart-strategy.ts';

/** Settings of {@link FixedDelayRestartStrategy}. */
export interface FixedDelayRestartOptions {
  /** Restarts allowed over the job's life (whole number, or Infinity). */
  readonly maxAttempts: number;
  /** Wait before every restart, in ms. */
  readonly delayMs: number;
}

/**
 * Restarts the job after `delayMs`, at most `maxAttempts` times in total; the failure after that
 * ends the job. Once it has given up it keeps giving up.
 */
export class FixedDelayRestartStrategy implements RestartStrategy {
  private count = 0;

  constructor(private readonly options: FixedDelayRestartOptions) {
    requireAttempts('fixed-delay', 'maxAttempts', options.maxAttempts);
    requireNonNegative('fixed-delay', 'delayMs', options.delayMs);
  }

  /** Restarts so far. */
  get restarts(): number {
    return this.count;
  }

  /** Grants a restart after `delayMs` while attempts remain. */
  onFailure(_now: number): number | undefined {
    if (this.count >= this.options.maxAttempts) return undefined;
    this.count++;
    return this.options.delayMs;
  }

  /** E.g. "fixed-delay(3 attempts, 1000 ms)". */
  describe(): string {
    return `fixed-delay(${describeAttempts(this.options.maxAttempts)}, ${this.options.delayMs} ms)`;
  }
}
