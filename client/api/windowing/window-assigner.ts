/** Window assigners: which windows an element belongs to, and which trigger they use by default. */
import type { Window } from './global-window.ts';
import type { TimeWindow } from './time-window.ts';
import type { Trigger } from './triggers/trigger.ts';

/** What an assigner may ask of the operator. */
export interface WindowAssignerContext {
  /** The operator's processing-time clock, in epoch ms. */
  currentProcessingTime(): number;
}

/** Assigns each element to zero or more windows. */
export interface WindowAssigner<T, W extends Window> {
  /**
   * The windows of an element with event time `timestamp` (NO_TIMESTAMP when it has none). The
   * returned array is read, never kept or changed, by the operator; assigners may reuse it.
   */
  assignWindows(element: T, timestamp: number, context: WindowAssignerContext): readonly W[];
  /** The trigger used when the windowed stream sets none. */
  defaultTrigger(): Trigger<T, W>;
  /** Whether windows follow event time (then lateness and watermarks apply) or processing time. */
  readonly isEventTime: boolean;
}

/**
 * An assigner of windows that all have one size (tumbling, sliding): it hands out one cached
 * window object per start, so that the runtime can turn a window's bounds back into that object.
 */
export interface FixedSizeWindowAssigner<T> extends WindowAssigner<T, TimeWindow> {
  /** Length of every window, in ms. */
  readonly size: number;
  /** The window [start, start + size), the same object the assigner hands out for it. */
  windowAt(start: number): TimeWindow;
}

/** Receives one group of windows to merge, and the window they become. */
export type MergeCallback<W> = (toBeMerged: W[], mergeResult: W) => void;

/** An assigner whose windows can merge as elements arrive, like session windows. */
export interface MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {
  /** Calls `merge` for every group of two or more of `windows` that must become one window. */
  mergeWindows(windows: readonly W[], merge: MergeCallback<W>): void;
}

/** Whether an assigner merges windows. */
export function isMergingAssigner<T, W extends Window>(assigner: WindowAssigner<T, W>): assigner is MergingWindowAssigner<T, W> {
  return typeof (assigner as Partial<MergingWindowAssigner<T, W>>).mergeWindows === 'function';
}

/** Validates a window length, interval or count: a positive safe integer. */
export function checkPositiveInteger(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${what} must be a positive integer; got ${String(value)}`);
}

/** The error Flink raises for an event-time window over a record without a timestamp. */
export function missingTimestampError(): Error {
  return new Error(
    'record has no timestamp: event-time windows need event time; use a processing-time assigner, ' +
      'or give the source or stream a WatermarkStrategy with a timestamp assigner',
  );
}
