/**
 * Pacing of a source that can produce faster than it should.
 */

/**
 * Allows `recordsPerSecond` on average from the first request. After a stall (backpressure) it
 * catches up by at most `maxBurst` records instead of flooding. Pure arithmetic on the given
 * clock readings; the caller reads the clock once per poll, not per record.
 */
export class RateLimiter {
  private start = -1;
  private used = 0;
  private readonly maxBurst: number;

  constructor(readonly recordsPerSecond: number) {
    if (!(recordsPerSecond > 0) || !Number.isFinite(recordsPerSecond)) {
      throw new Error(`recordsPerSecond must be a positive finite number, got ${recordsPerSecond}`);
    }
    this.maxBurst = Math.max(1, Math.ceil(recordsPerSecond / 10));
  }

  /** How many records may be emitted now (0 when ahead of schedule). */
  allowance(nowMs: number): number {
    if (this.start < 0) this.start = nowMs;
    const due = Math.floor(((nowMs - this.start) * this.recordsPerSecond) / 1000) + 1 - this.used;
    if (due <= this.maxBurst) return Math.max(0, due);
    this.start = nowMs - ((this.used + this.maxBurst - 1) * 1000) / this.recordsPerSecond;
    return this.maxBurst;
  }

  /** How many of `maxRecords` one poll may emit now (0 when ahead of schedule): what every paced reader asks first. */
  budget(maxRecords: number, nowMs: number): number {
    return Math.min(maxRecords, this.allowance(nowMs));
  }

  /** Records that `count` records were emitted. */
  consume(count: number): void {
    this.used += count;
  }

  /** Milliseconds until the next record is allowed (at least 1). */
  delayMs(nowMs: number): number {
    if (this.start < 0) return 1;
    const next = this.start + (this.used * 1000) / this.recordsPerSecond;
    return Math.max(1, Math.ceil(next - nowMs));
  }
}
