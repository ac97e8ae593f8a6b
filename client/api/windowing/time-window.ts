/**
 * Time windows: half-open intervals [start, end) of epoch milliseconds, kept as plain data so that
 * records carrying a window stay JSON-like. The functions on `TimeWindow` do what Flink's
 * TimeWindow methods do.
 */

/** A window of event or processing time: timestamps t with start <= t < end. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Helpers over time windows (Flink's `TimeWindow` methods, as functions over plain data). */
export const TimeWindow = {
  /** A (frozen) window [start, end). */
  of(start: number, end: number): TimeWindow {
    return Object.freeze({ start, end });
  },

  /** The largest timestamp inside the window: `end - 1`. Results of the window carry it. */
  maxTimestamp(window: TimeWindow): number {
    return window.end - 1;
  },

  /** Whether two windows overlap or touch (Flink's rule: touching session windows merge). */
  intersects(a: TimeWindow, b: TimeWindow): boolean {
    return a.start <= b.end && a.end >= b.start;
  },

  /** The smallest window containing both. */
  cover(a: TimeWindow, b: TimeWindow): TimeWindow {
    return TimeWindow.of(Math.min(a.start, b.start), Math.max(a.end, b.end));
  },

  /**
   * The start of the window of `size` (aligned to the epoch plus `offset`) that contains
   * `timestamp`; correct for negative timestamps, too.
   */
  startWithOffset(timestamp: number, offset: number, size: number): number {
    const remainder = (timestamp - offset) % size;
    return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
  },
};
