/**
 * Sliding windows: windows of a fixed size starting every `slide` ms, so that an element belongs
 * to size / slide windows (rounded up).
 */
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { FixedWindowCache, WindowListCache } from './fixed-window-cache.ts';
import { TimeWindow } from './time-window.ts';
import { EventTimeTrigger } from './triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from './triggers/processing-time-trigger.ts';
import type { Trigger } from './triggers/trigger.ts';
import { checkPositiveInteger, missingTimestampError, type FixedSizeWindowAssigner, type WindowAssignerContext } from './window-assigner.ts';

/** What both sliding assigners share. */
abstract class SlidingWindows implements FixedSizeWindowAssigner<unknown> {
  abstract readonly isEventTime: boolean;
  private readonly windows: FixedWindowCache;
  /**
   * Window lists by latest start, one cache per list length: when size is not a multiple of
   * slide, a timestamp's window count depends on where it falls within the slide.
   */
  private readonly lists: WindowListCache[] = [];

  protected constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
  ) {
    checkPositiveInteger('the size of sliding windows (ms)', size);
    checkPositiveInteger('the slide of sliding windows (ms)', slide);
    if (!Number.isSafeInteger(offset) || Math.abs(offset) >= slide) {
      throw new Error(`the offset of sliding windows must be an integer with |offset| < slide (${slide} ms); got ${String(offset)}`);
    }
    this.windows = new FixedWindowCache(size);
  }

  windowAt(start: number): TimeWindow {
    return this.windows.window(start);
  }

  /** The windows containing `time`, latest first (as Flink lists them). */
  protected windowsAt(time: number): readonly TimeWindow[] {
    const lastStart = TimeWindow.startWithOffset(time, this.offset, this.slide);
    let count = 0;
    for (let start = lastStart; start > time - this.size; start -= this.slide) count++;
    const lists = (this.lists[count] ??= new WindowListCache((latest) => this.build(latest, count)));
    return lists.get(lastStart);
  }

  private build(lastStart: number, count: number): TimeWindow[] {
    const windows: TimeWindow[] = [];
    for (let i = 0; i < count; i++) windows.push(this.windows.window(lastStart - i * this.slide));
    return windows;
  }

  abstract assignWindows(element: unknown, timestamp: number, context: WindowAssignerContext): readonly TimeWindow[];
  abstract defaultTrigger(): Trigger<unknown, TimeWindow>;
}

/** Sliding windows of event time. */
export class SlidingEventTimeWindows extends SlidingWindows {
  readonly isEventTime = true;

  /** Windows of `size` ms starting every `slide` ms (plus `offset`) of event time. */
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(size, slide, offset);
  }

  assignWindows(_element: unknown, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestampError();
    return this.windowsAt(timestamp);
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  override toString(): string {
    return `SlidingEventTimeWindows(${this.size}, ${this.slide})`;
  }
}

/** Sliding windows of processing time. */
export class SlidingProcessingTimeWindows extends SlidingWindows {
  readonly isEventTime = false;

  /** Windows of `size` ms starting every `slide` ms (plus `offset`) of processing time. */
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(size, slide, offset);
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return this.windowsAt(context.currentProcessingTime());
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  override toString(): string {
    return `SlidingProcessingTimeWindows(${this.size}, ${this.slide})`;
  }
}
