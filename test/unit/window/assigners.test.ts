/** Window assigners on their own: alignment, overlap, merging, validation. */
import { describe, expect, it } from 'vitest';
import { GLOBAL_WINDOW } from '../../../client/api/windowing/global-window.ts';
import { GlobalWindows } from '../../../client/api/windowing/global-windows.ts';
import { EventTimeSessionWindows, mergeTimeWindows } from '../../../client/api/windowing/session-windows.ts';
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from '../../../client/api/windowing/sliding-windows.ts';
import { TimeWindow } from '../../../client/api/windowing/time-window.ts';
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { windowNamespace, windowOfNamespace } from '../../../taskmanager/operators/window/window-namespace.ts';
import { NO_TIMESTAMP } from '../../../common/time.ts';

const clock = (now: number) => ({ currentProcessingTime: () => now });
const plain = (windows: readonly TimeWindow[]) => windows.map((w) => ({ start: w.start, end: w.end }));

describe('window assigners', () => {
  it('tumbling: epoch-aligned, end exclusive, negative timestamps, offset, cached objects', () => {
    const tumbling = TumblingEventTimeWindows.of(10);
    expect(plain(tumbling.assignWindows(null, 0, clock(0)))).toEqual([{ start: 0, end: 10 }]);
    expect(plain(tumbling.assignWindows(null, 9, clock(0)))).toEqual([{ start: 0, end: 10 }]);
    expect(plain(tumbling.assignWindows(null, 10, clock(0)))).toEqual([{ start: 10, end: 20 }]);
    expect(plain(tumbling.assignWindows(null, -1, clock(0)))).toEqual([{ start: -10, end: 0 }]);
    expect(plain(TumblingEventTimeWindows.of(10, 3).assignWindows(null, 2, clock(0)))).toEqual([{ start: -7, end: 3 }]);
    expect(tumbling.assignWindows(null, 5, clock(0))).toBe(tumbling.assignWindows(null, 7, clock(0)));
    expect(TimeWindow.maxTimestamp(tumbling.assignWindows(null, 5, clock(0))[0]!)).toBe(9);
    expect(plain(TumblingProcessingTimeWindows.of(10).assignWindows(null, 1234, clock(25)))).toEqual([{ start: 20, end: 30 }]);
  });

  it('event-time assigners reject records without a timestamp', () => {
    expect(() => TumblingEventTimeWindows.of(10).assignWindows(null, NO_TIMESTAMP, clock(0))).toThrow(/no timestamp/);
    expect(() => SlidingEventTimeWindows.of(10, 5).assignWindows(null, NO_TIMESTAMP, clock(0))).toThrow(/no timestamp/);
    expect(() => EventTimeSessionWindows.withGap(10).assignWindows(null, NO_TIMESTAMP, clock(0))).toThrow(/no timestamp/);
  });

  it('sliding: size / slide windows per element, latest first, also when size is not a multiple of slide', () => {
    const sliding = SlidingEventTimeWindows.of(30_000, 15_000);
    expect(plain(sliding.assignWindows(null, 20_000, clock(0)))).toEqual([
      { start: 15_000, end: 45_000 },
      { start: 0, end: 30_000 },
    ]);
    const uneven = SlidingEventTimeWindows.of(25, 10);
    expect(plain(uneven.assignWindows(null, 21, clock(0)))).toEqual([
      { start: 20, end: 45 },
      { start: 10, end: 35 },
      { start: 0, end: 25 },
    ]);
    expect(plain(uneven.assignWindows(null, 29, clock(0)))).toEqual([
      { start: 20, end: 45 },
      { start: 10, end: 35 },
    ]);
    expect(plain(SlidingProcessingTimeWindows.of(20, 10).assignWindows(null, NO_TIMESTAMP, clock(15)))).toEqual([
      { start: 10, end: 30 },
      { start: 0, end: 20 },
    ]);
  });

  it('sessions: one window per element; overlapping or touching windows merge', () => {
    expect(plain(EventTimeSessionWindows.withGap(10).assignWindows(null, 7, clock(0)))).toEqual([{ start: 7, end: 17 }]);
    const merges: [TimeWindow[], TimeWindow][] = [];
    mergeTimeWindows(
      [TimeWindow.of(30, 40), TimeWindow.of(0, 10), TimeWindow.of(10, 20), TimeWindow.of(50, 60), TimeWindow.of(35, 45), TimeWindow.of(0, 10)],
      (group, result) => merges.push([group, result]),
    );
    expect(merges.map(([group, result]) => [plain(group), { start: result.start, end: result.end }])).toEqual([
      [[{ start: 0, end: 10 }, { start: 10, end: 20 }], { start: 0, end: 20 }],
      [[{ start: 30, end: 40 }, { start: 35, end: 45 }], { start: 30, end: 45 }],
    ]);
  });

  it('global windows: one window for everything', () => {
    expect(GlobalWindows.create().assignWindows(null, NO_TIMESTAMP, clock(0))).toEqual([GLOBAL_WINDOW]);
  });

  it('window namespaces round-trip', () => {
    for (const window of [TimeWindow.of(0, 10), TimeWindow.of(-20, -10), GLOBAL_WINDOW]) {
      expect(windowOfNamespace(windowNamespace(window))).toEqual(window);
    }
  });

  it('validates sizes and offsets', () => {
    expect(() => TumblingEventTimeWindows.of(0)).toThrow(/positive/);
    expect(() => TumblingEventTimeWindows.of(10, 10)).toThrow(/offset/);
    expect(() => SlidingEventTimeWindows.of(10, 0)).toThrow(/positive/);
    expect(() => EventTimeSessionWindows.withGap(-1)).toThrow(/positive/);
  });
});
