/**
 * Per-split watermark generation for a source subtask (or for an `assignTimestampsAndWatermarks`
 * operator, which is one split). Each split tracks its highest timestamp; its watermark trails it
 * by the out-of-orderness bound plus 1 ms. The subtask's watermark is the minimum over the splits
 * that have not ended and are not idle. It is recomputed only when the split that held the
 * minimum moves, so the per-record cost does not grow with the number of splits.
 */
import type { WatermarkStrategySpec } from '../../client/runtime.ts';
import { MIN_WATERMARK } from '../../common/time.ts';

/** The watermark state of one split. */
export class SplitWatermark {
  /** Highest timestamp seen. */
  maxTimestamp = Number.NEGATIVE_INFINITY;
  /** The split's watermark. */
  watermark = MIN_WATERMARK;
  /** Processing time of the last record, for idleness. */
  lastActive: number;
  idle = false;

  constructor(
    readonly id: string,
    now: number,
  ) {
    this.lastActive = now;
  }
}

/** Combines the watermarks of a subtask's splits. */
export class SplitWatermarks {
  private readonly splits = new Map<string, SplitWatermark>();
  private readonly bound: number | undefined;
  private readonly idlenessMs: number | undefined;
  /** The combined watermark last reported. */
  combined = MIN_WATERMARK;
  /** Whether every live split is idle. */
  allIdle = false;
  /** Processing time, refreshed by the caller once per poll. */
  now = 0;

  constructor(spec: WatermarkStrategySpec<unknown>, now: number) {
    this.bound = spec.outOfOrdernessMs;
    this.idlenessMs = spec.idlenessMs;
    this.now = now;
  }

  /** Whether the strategy produces watermarks at all. */
  get generates(): boolean {
    return this.bound !== undefined;
  }

  /** The split's state, or undefined when it is unknown or has ended. */
  peek(id: string): SplitWatermark | undefined {
    return this.splits.get(id);
  }

  /** The split's state, created on first sight. */
  split(id: string): SplitWatermark {
    let s = this.splits.get(id);
    if (!s) {
      s = new SplitWatermark(id, this.now);
      this.splits.set(id, s);
      if (this.generates) this.recompute();
    }
    return s;
  }

  /**
   * Restores a split's highest timestamp from a checkpoint, so that event time goes on where it
   * was and a record behind it is as late as before the failure. Returns the new combined
   * watermark when it advanced.
   */
  restore(split: SplitWatermark, maxTimestamp: number): number | undefined {
    if (!(maxTimestamp > split.maxTimestamp)) return undefined;
    split.maxTimestamp = maxTimestamp;
    const bound = this.bound;
    if (bound === undefined) return undefined;
    split.watermark = Math.max(split.watermark, maxTimestamp - bound - 1);
    return this.recompute();
  }

  /**
   * Observes a record of `split`. Returns the new combined watermark when it advanced, otherwise
   * undefined.
   */
  observe(split: SplitWatermark, timestamp: number): number | undefined {
    split.lastActive = this.now;
    const wasIdle = split.idle;
    split.idle = false;
    if (timestamp > split.maxTimestamp) split.maxTimestamp = timestamp;
    const bound = this.bound;
    if (bound === undefined) return undefined;
    const candidate = split.maxTimestamp - bound - 1;
    if (candidate <= split.watermark && !wasIdle) return undefined;
    const heldMinimum = split.watermark <= this.combined || wasIdle;
    if (candidate > split.watermark) split.watermark = candidate;
    return heldMinimum ? this.recompute() : undefined;
  }

  /** A split ended; returns the new combined watermark when it advanced. */
  end(id: string): number | undefined {
    if (!this.splits.delete(id) || !this.generates) return undefined;
    return this.recompute();
  }

  /** Marks splits idle that have been silent too long; returns the new combined watermark when it advanced. */
  checkIdleness(): number | undefined {
    const idleness = this.idlenessMs;
    if (idleness === undefined || !this.generates) return undefined;
    let changed = false;
    for (const s of this.splits.values()) {
      if (!s.idle && this.now - s.lastActive >= idleness) {
        s.idle = true;
        changed = true;
      }
    }
    return changed ? this.recompute() : undefined;
  }

  /** The number of splits not ended. */
  get liveSplits(): number {
    return this.splits.size;
  }

  private recompute(): number | undefined {
    let min = Number.POSITIVE_INFINITY;
    let active = 0;
    for (const s of this.splits.values()) {
      if (s.idle) continue;
      active++;
      if (s.watermark < min) min = s.watermark;
    }
    this.allIdle = active === 0 && this.splits.size > 0;
    if (active === 0) return undefined;
    if (min > this.combined) {
      this.combined = min;
      return min;
    }
    return undefined;
  }
}
