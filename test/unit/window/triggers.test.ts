/** Triggers: early firing, processing time, counts, purging, and trigger state in merging windows. */
import { describe, expect, it } from 'vitest';
import { EventTimeSessionWindows } from '../../../client/api/windowing/session-windows.ts';
import { ContinuousEventTimeTrigger } from '../../../client/api/windowing/triggers/continuous-event-time-trigger.ts';
import { ContinuousProcessingTimeTrigger } from '../../../client/api/windowing/triggers/continuous-processing-time-trigger.ts';
import { CountTrigger } from '../../../client/api/windowing/triggers/count-trigger.ts';
import { PurgingTrigger } from '../../../client/api/windowing/triggers/purging-trigger.ts';
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { emitted, openWindow, sortedByJson } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

const sum = (x: Event, y: Event): Event => ({ key: x.key, v: x.v + y.v });

describe('ContinuousEventTimeTrigger', () => {
  it('fires early every interval of event time, then at the window end', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingEventTimeWindows.of(60_000)).trigger(ContinuousEventTimeTrigger.of(10_000)).reduce(sum),
    );
    harness.processElement({ key: 'a', v: 1 }, 5_000); // first early firing at 10 s
    harness.processElement({ key: 'a', v: 2 }, 12_000);
    harness.processElement({ key: 'a', v: 4 }, 3_000);
    harness.processWatermark(9_999);
    expect(harness.values()).toEqual([]);
    harness.processWatermark(10_000);
    expect(emitted(harness)).toEqual([[{ key: 'a', v: 7 }, 59_999]]);

    harness.processElement({ key: 'a', v: 8 }, 25_000);
    harness.processWatermark(35_000); // firings at 20 s and 30 s
    expect(harness.values().map((e) => (e as Event).v)).toEqual([7, 15, 15]);

    harness.processWatermark(59_999); // 40 s, 50 s, and the end
    expect(harness.values().map((e) => (e as Event).v)).toEqual([7, 15, 15, 15, 15, 15]);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(harness.values()).toHaveLength(6);
  });

  it('wrapped in PurgingTrigger, emits what arrived since the last firing (and nothing for empty windows)', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed.window(TumblingEventTimeWindows.of(60_000)).trigger(PurgingTrigger.of(ContinuousEventTimeTrigger.of(10_000))).reduce(sum),
    );
    harness.processElement({ key: 'a', v: 1 }, 5_000);
    harness.processElement({ key: 'a', v: 2 }, 12_000);
    harness.processWatermark(10_000);
    harness.processElement({ key: 'a', v: 4 }, 25_000);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(harness.values()).toEqual([{ key: 'a', v: 3 }, { key: 'a', v: 4 }]);
  });
});

describe('processing-time windows', () => {
  it('tumble by the operator clock, ignoring event timestamps', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingProcessingTimeWindows.of(1_000)).reduce(sum),
    );
    harness.setProcessingTime(100);
    harness.processElement({ key: 'a', v: 1 }, 50_000);
    harness.processElement({ key: 'b', v: 10 }, NO_TIMESTAMP);
    harness.setProcessingTime(500);
    harness.processElement({ key: 'a', v: 2 }, 3);
    harness.setProcessingTime(998);
    expect(harness.values()).toEqual([]);

    harness.setProcessingTime(999);
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      [{ key: 'a', v: 3 }, 999],
      [{ key: 'b', v: 10 }, 999],
    ]));
    harness.clearOutput();

    harness.setProcessingTime(1_500);
    harness.processElement({ key: 'a', v: 4 }, 0);
    harness.processWatermark(Number.POSITIVE_INFINITY); // watermarks do not touch processing-time windows
    expect(harness.values()).toEqual([]);
    harness.setProcessingTime(2_500);
    expect(emitted(harness)).toEqual([[{ key: 'a', v: 4 }, 1_999]]);
  });

  it('ContinuousProcessingTimeTrigger fires every interval of the clock', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingProcessingTimeWindows.of(1_000)).trigger(ContinuousProcessingTimeTrigger.of(300)).reduce(sum),
    );
    harness.setProcessingTime(100);
    harness.processElement({ key: 'a', v: 1 });
    harness.setProcessingTime(300);
    harness.processElement({ key: 'a', v: 2 });
    harness.setProcessingTime(650);
    harness.processElement({ key: 'a', v: 4 });
    harness.setProcessingTime(1_200);
    // Firings at 300 (before the second element), 600, 900 and the window end 999.
    expect(harness.values().map((e) => (e as Event).v)).toEqual([1, 3, 7, 7]);
  });
});

describe('count windows', () => {
  it('countWindow(size) fires and purges every size elements of a key', async () => {
    const { harness, backend } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.countWindow(3).reduce(sum),
    );
    for (const [key, v] of [['a', 1], ['b', 10], ['a', 2], ['b', 20], ['a', 3], ['a', 4], ['b', 30], ['a', 5], ['a', 6], ['a', 7]] as const) {
      harness.processElement({ key, v });
    }
    expect(harness.values()).toEqual([{ key: 'a', v: 6 }, { key: 'b', v: 60 }, { key: 'a', v: 15 }]);
    // The incomplete window (7) never fires, as in Flink: global windows only end by their trigger.
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(harness.values()).toHaveLength(3);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(2); // a's pending element and its count
  });

  it('countWindow(size, slide) fires every slide elements over the last size', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.countWindow(3, 2).reduce(sum),
    );
    for (let v = 1; v <= 7; v++) harness.processElement({ key: 'a', v });
    expect(harness.values().map((e) => (e as Event).v)).toEqual([1 + 2, 2 + 3 + 4, 4 + 5 + 6]);
  });

  it('CountTrigger state merges with session windows', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(EventTimeSessionWindows.withGap(10)).trigger(CountTrigger.of(3)).reduce(sum),
    );
    harness.processElement({ key: 'a', v: 1 }, 0); // [0, 10): count 1
    harness.processElement({ key: 'a', v: 2 }, 20); // [20, 30): count 1
    expect(harness.values()).toEqual([]);
    harness.processElement({ key: 'a', v: 4 }, 10); // bridges: [0, 30), counts merge to 2, + 1 = 3
    expect(harness.values()).toEqual([{ key: 'a', v: 7 }]);
  });
});
