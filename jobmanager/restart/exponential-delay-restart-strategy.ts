/**
 * Flink's exponential-delay restart strategy: the delay before each restart grows by a multiplier
 * up to a cap, so a job that keeps failing (a lost dependency, a crash loop) stops hammering the
 * cluster, while a job that fails once in a while restarts quickly because the backoff resets
 * after a stable run.
 */
import { describeAttempts, requireAttempts, requireNonNegative } from './check-options.ts';
import type { RestartStrategy } from './restart-strategy.ts';

/** Settings of {@link ExponentialDelayRestartStrategy}. */
export interface ExponentialDelayRestartOptions {
  /** Delay before the first restart (and the first after a reset), in ms. */
  readonly initialDelayMs: number;
  /** Cap on the delay, in ms; jitter never takes a delay above it. */
  readonly maxDelayMs: number;
  /** Growth factor of the delay per restart, >= 1; default 2. */
  readonly multiplier?: number;
  /** A run this long without failure resets the backoff (and the attempt count), in ms. */
  readonly resetAfterMs: number;
  /**
   * Random spread of each delay, as a fraction in [0, 1]: the delay is drawn uniformly from
   * `delay * (1 ± jitterFactor)`, clamped to [0, maxDelayMs]. Default 0: fully deterministic.
   */
  readonly jitterFactor?: number;
  /** Restarts allowed since the last reset (whole number, or Infinity); default Infinity. */
  readonly maxAttempts?: number;
  /** Source of randomness in [0, 1) for the jitter; default Math.random. For tests. */
  readonly random?: () => number;
}

/**
 * Restarts after `initialDelayMs`, then `initialDelayMs * multiplier`, and so on up to
 * `maxDelayMs`. When the job has run for `resetAfterMs` without failing, the delay goes back to
 * `initialDelayMs` and the attempt count to 0; `maxAttempts` therefore limits consecutive unstable
 * restarts (Flink's `attempts-before-reset-backoff`), while `restarts` counts them all.
 *
 * A run starts at the scheduled restart (failure time + delay), or, when the caller reports it,
 * at the first `onRunning` after the failure. Stability is checked on `onRunning` and again on
 * the next failure. Once the strategy has given up it keeps giving up.
 */
export class ExponentialDelayRestartStrategy implements RestartStrategy {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly multiplier: number;
  private readonly resetAfterMs: number;
  private readonly jitterFactor: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;

  private count = 0;
  private attemptsSinceReset = 0;
  /** The un-jittered delay of the next restart. */
  private nextDelayMs: number;
  /** When the current run started; undefined before the first failure. */
  private runStartedAt: number | undefined;
  /** Whether `onRunning` has been called since the last failure. */
  private runReported = false;
  private gaveUp = false;

  constructor(options: ExponentialDelayRestartOptions) {
    const name = 'exponential-delay';
    this.initialDelayMs = options.initialDelayMs;
    this.maxDelayMs = options.maxDelayMs;
    this.multiplier = options.multiplier ?? 2;
    this.resetAfterMs = options.resetAfterMs;
    this.jitterFactor = options.jitterFactor ?? 0;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.random = options.random ?? Math.random;
    requireNonNegative(name, 'initialDelayMs', this.initialDelayMs);
    requireNonNegative(name, 'maxDelayMs', this.maxDelayMs);
    requireNonNegative(name, 'resetAfterMs', this.resetAfterMs);
    requireAttempts(name, 'maxAttempts', this.maxAttempts);
    if (this.initialDelayMs > this.maxDelayMs) {
      throw new RangeError(`${name}: initialDelayMs (${this.initialDelayMs}) must not exceed maxDelayMs (${this.maxDelayMs})`);
    }
    if (!Number.isFinite(this.multiplier) || this.multiplier < 1) {
      throw new RangeError(`${name}: multiplier must be a finite number >= 1, got ${this.multiplier}`);
    }
    if (!(this.jitterFactor >= 0 && this.jitterFactor <= 1)) {
      throw new RangeError(`${name}: jitterFactor must be in [0, 1], got ${this.jitterFactor}`);
    }
    this.nextDelayMs = this.initialDelayMs;
  }

  /** Restarts so far, across resets. */
  get restarts(): number {
    return this.count;
  }

  /** Grants a restart with the current backoff while attempts remain, and grows the backoff. */
  onFailure(now: number): number | undefined {
    if (this.gaveUp) return undefined;
    this.resetIfStable(now);
    if (this.attemptsSinceReset >= this.maxAttempts) {
      this.gaveUp = true;
      return undefined;
    }
    const delay = this.jittered(this.nextDelayMs);
    this.nextDelayMs = Math.min(this.nextDelayMs * this.multiplier, this.maxDelayMs);
    this.attemptsSinceReset++;
    this.count++;
    this.runStartedAt = now + delay;
    this.runReported = false;
    return delay;
  }

  /** Marks the start of the run on the first call after a failure; resets the backoff once the run is long enough. */
  onRunning(now: number): void {
    if (this.gaveUp || this.runStartedAt === undefined) return;
    if (!this.runReported) {
      this.runReported = true;
      this.runStartedAt = now;
    }
    this.resetIfStable(now);
  }

  /** E.g. "exponential-delay(200..10000 ms, x2, reset after 60000 ms, 20 attempts)". */
  describe(): string {
    const jitter = this.jitterFactor > 0 ? `, jitter ${this.jitterFactor}` : '';
    return `exponential-delay(${this.initialDelayMs}..${this.maxDelayMs} ms, x${this.multiplier}, reset after ${this.resetAfterMs} ms${jitter}, ${describeAttempts(this.maxAttempts)})`;
  }

  private resetIfStable(now: number): void {
    if (this.runStartedAt === undefined || now - this.runStartedAt < this.resetAfterMs) return;
    this.nextDelayMs = this.initialDelayMs;
    this.attemptsSinceReset = 0;
    this.runStartedAt = undefined;
  }

  private jittered(delay: number): number {
    const spread = this.jitterFactor === 0 ? 0 : delay * this.jitterFactor * (2 * this.random() - 1);
    return Math.round(Math.min(Math.max(delay + spread, 0), this.maxDelayMs));
  }
}
