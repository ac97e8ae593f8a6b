/**
 * Session windows: an element opens the window [t, t + gap); windows that overlap or touch merge,
 * so a session ends after `gap` ms without elements. They are merging windows: the operator keeps
 * a per-key set of sessions and merges their contents as elements bridge them.
 */
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { TimeWindow } from './time-window.ts';
import { EventTimeTrigger } from './triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from './triggers/processing-time-trigger.ts';
import type { Trigger } from './triggers/trigger.ts';
import {
  checkPositiveInteger,
  missingTimestampError,
  type MergeCallback,
  type MergingWindowAssigner,
  type WindowAssignerContext,
} from './window-assigner.ts';

/**
 * Flink's `TimeWindow.mergeWindows`: sorts by start, sweeps overlapping or touching windows into
 * groups, and reports each group of two or more (equal windows count once).
 */
export function mergeTimeWindows(windows: readonly TimeWindow[], merge: MergeCallback<TimeWindow>): void {
  if (windows.length < 2) return;
  const sorted = windows.length === 2 ? inOrder(windows[0]!, windows[1]!) : windows.slice().sort(byStartThenEnd);
  let cover = sorted[0]!;
  let group = [cover];
  for (let i = 1; i < sorted.length; i++) {
    const candidate = sorted[i]!;
    if (TimeWindow.intersects(cover, candidate)) {
      const last = group[group.length - 1]!;
      if (last.start !== candidate.start || last.end !== candidate.end) group.push(candidate);
      if (candidate.end > cover.end) cover = TimeWindow.of(cover.start, candidate.end);
    } else {
      if (group.length > 1) merge(group, cover);
      cover = candidate;
      group = [candidate];
    }
  }
  if (group.length > 1) merge(group, cover);
}

function byStartThenEnd(a: TimeWindow, b: TimeWindow): number {
  return a.start - b.start || a.end - b.end;
}

function inOrder(a: TimeWindow, b: TimeWindow): TimeWindow[] {
  return byStartThenEnd(a, b) <= 0 ? [a, b] : [b, a];
}

/** What both session assigners share. */
abstract class SessionWindows implements MergingWindowAssigner<unknown, TimeWindow> {
  abstract readonly isEventTime: boolean;

  protected constructor(readonly gap: number) {
    checkPositiveInteger('the gap of session windows (ms)', gap);
  }

  abstract assignWindows(element: unknown, timestamp: number, context: WindowAssignerContext): readonly TimeWindow[];
  abstract defaultTrigger(): Trigger<unknown, TimeWindow>;

  mergeWindows(windows: readonly TimeWindow[], merge: MergeCallback<TimeWindow>): void {
    mergeTimeWindows(windows, merge);
  }
}

/** Session windows of event time. */
export class EventTimeSessionWindows extends SessionWindows {
  readonly isEventTime = true;

  /** Sessions that close after `gap` ms of event time without elements of their key. */
  static withGap(gap: number): EventTimeSessionWindows {
    return new EventTimeSessionWindows(gap);
  }

  assignWindows(_element: unknown, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestampError();
    return [TimeWindow.of(timestamp, timestamp + this.gap)];
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  override toString(): string {
    return `EventTimeSessionWindows(${this.gap})`;
  }
}

/** Session windows of processing time. */
export class ProcessingTimeSessionWindows extends SessionWindows {
  readonly isEventTime = false;

  /** Sessions that close after `gap` ms of processing time without elements of their key. */
  static withGap(gap: number): ProcessingTimeSessionWindows {
    return new ProcessingTimeSessionWindows(gap);
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    const now = context.currentProcessingTime();
    return [TimeWindow.of(now, now + this.gap)];
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  override toString(): string {
    return `ProcessingTimeSessionWindows(${this.gap})`;
  }
}
