/** Tumbling windows: consecutive, non-overlapping windows of a fixed size, aligned to the epoch. */
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { FixedWindowCache, WindowListCache } from './fixed-window-cache.ts';
import { TimeWindow } from './time-window.ts';
import { EventTimeTrigger } from './triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from './triggers/processing-time-trigger.ts';
import type { Trigger } from './triggers/trigger.ts';
import { checkPositiveInteger, missingTimestampError, type FixedSizeWindowAssigner, type WindowAssignerContext } from './window-assigner.ts';

/** What both tumbling assigners share: size, offset, and the cached windows. */
abstract class TumblingWindows implements FixedSizeWindowAssigner<unknown> {
  abstract readonly isEventTime: boolean;
  private readonly windows: FixedWindowCache;
  private readonly lists: WindowListCache;

  protected constructor(
    readonly size: number,
    readonly offset: number,
  ) {
    checkPositiveInteger('the size of tumbling windows (ms)', size);
    if (!Number.isSafeInteger(offset) || Math.abs(offset) >= size) {
      throw new Error(`the offset of tumbling windows must be an integer with |offset| < size (${size} ms); got ${String(offset)}`);
    }
    const windows = new FixedWindowCache(size);
    this.windows = windows;
    this.lists = new WindowListCache((start) => [windows.window(start)]);
  }

  windowAt(start: number): TimeWindow {
    return this.windows.window(start);
  }

  /** The one window containing `time`. */
  protected windowsAt(time: number): readonly TimeWindow[] {
    return this.lists.get(TimeWindow.startWithOffset(time, this.offset, this.size));
  }

  abstract assignWindows(element: unknown, timestamp: number, context: WindowAssignerContext): readonly TimeWindow[];
  abstract defaultTrigger(): Trigger<unknown, TimeWindow>;
}

/** Tumbling windows of event time. */
export class TumblingEventTimeWindows extends TumblingWindows {
  readonly isEventTime = true;

  /** Windows [k*size + offset, (k+1)*size + offset) of event time; offset (ms) shifts them (time zones). */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(size, offset);
  }

  assignWindows(_element: unknown, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestampError();
    return this.windowsAt(timestamp);
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  override toString(): string {
    return `TumblingEventTimeWindows(${this.size})`;
  }
}

/** Tumbling windows of processing time: an element belongs to the window of the clock when it arrives. */
export class TumblingProcessingTimeWindows extends TumblingWindows {
  readonly isEventTime = false;

  /** Windows [k*size + offset, (k+1)*size + offset) of processing time. */
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(size, offset);
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return this.windowsAt(context.currentProcessingTime());
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  override toString(): string {
    return `TumblingProcessingTimeWindows(${this.size})`;
  }
}
