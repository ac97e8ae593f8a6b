/** Late elements: the side output, dropping (and counting) without one, and allowed lateness re-firing. */
import { describe, expect, it } from 'vitest';
import { OutputTag } from '../../../client/api/functions.ts';
import { ReducingStateDescriptor } from '../../../client/api/state.ts';
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { WINDOW_CONTENTS_STATE } from '../../../taskmanager/operators/window/window-contents.ts';
import { emitted, openWindow } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

const sum = (x: Event, y: Event): Event => ({ key: x.key, v: x.v + y.v });
const LATE = new OutputTag<Event>('late');

describe('late data', () => {
  it('sends elements of cleaned-up windows to the late-data side output, with their timestamps', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingEventTimeWindows.of(10_000)).sideOutputLateData(LATE).reduce(sum),
    );
    harness.processElement({ key: 'a', v: 1 }, 1_000);
    harness.processElement({ key: 'a', v: 2 }, 12_000);
    harness.processWatermark(10_000);
    expect(harness.values()).toEqual([{ key: 'a', v: 1 }]);

    harness.processElement({ key: 'a', v: 4 }, 5_000); // [0, 10s) is gone: late
    harness.processElement({ key: 'b', v: 8 }, 9_999); // late, even for a key never seen
    harness.processElement({ key: 'a', v: 16 }, 10_000); // [10s, 20s) is open
    expect(harness.output.side.get('late')?.map((r) => [r.value, r.timestamp])).toEqual([
      [{ key: 'a', v: 4 }, 5_000],
      [{ key: 'b', v: 8 }, 9_999],
    ]);

    harness.processWatermark(20_000);
    expect(harness.values()).toEqual([{ key: 'a', v: 1 }, { key: 'a', v: 18 }]);
    expect(harness.operator.lateRecordsDropped).toBe(0);
  });

  it('drops late elements without a side output, and counts them', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingEventTimeWindows.of(10_000)).reduce(sum),
    );
    harness.processElement({ key: 'a', v: 1 }, 1_000);
    harness.processWatermark(10_000);
    harness.processElement({ key: 'a', v: 4 }, 5_000);
    harness.processElement({ key: 'a', v: 8 }, 9_999);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(harness.values()).toEqual([{ key: 'a', v: 1 }]);
    expect(harness.output.side.size).toBe(0);
    expect(harness.operator.lateRecordsDropped).toBe(2);
  });

  it('re-fires a window for each element within the allowed lateness, with the updated result', async () => {
    const { harness, backend } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingEventTimeWindows.of(10_000)).allowedLateness(5_000).sideOutputLateData(LATE).reduce(sum),
    );
    harness.processElement({ key: 'a', v: 1 }, 1_000);
    harness.processElement({ key: 'a', v: 8 }, 12_000);
    harness.processElement({ key: 'a', v: 2 }, 3_000);
    harness.processWatermark(10_500);
    expect(emitted(harness)).toEqual([[{ key: 'a', v: 3 }, 9_999]]);

    harness.processElement({ key: 'a', v: 4 }, 4_000); // late but allowed: fires at once
    expect(emitted(harness).at(-1)).toEqual([{ key: 'a', v: 7 }, 9_999]);

    harness.processWatermark(14_998);
    harness.processElement({ key: 'a', v: 16 }, 2_000); // still allowed
    expect(harness.values()).toEqual([{ key: 'a', v: 3 }, { key: 'a', v: 7 }, { key: 'a', v: 23 }]);

    // The cleanup timer (end + lateness) drops the window's state without firing it again.
    harness.processWatermark(14_999);
    expect(harness.values()).toHaveLength(3);
    const contents = backend.getInternalReducingState(new ReducingStateDescriptor<Event>(WINDOW_CONTENTS_STATE, sum));
    backend.setCurrentKey('a');
    contents.setCurrentNamespace('0:10000');
    expect(contents.get()).toBeUndefined();
    contents.setCurrentNamespace('10000:20000');
    expect(contents.get()).toEqual({ key: 'a', v: 8 });

    harness.processElement({ key: 'a', v: 32 }, 5_000); // now too late
    expect(harness.sideValues('late')).toEqual([{ key: 'a', v: 32 }]);

    harness.processWatermark(20_000);
    expect(harness.values().at(-1)).toEqual({ key: 'a', v: 8 });
  });

  it('rejects allowed lateness on processing-time windows', async () => {
    await expect(
      openWindow<Event, string>(
        (e) => e.key,
        (keyed) => keyed.window(TumblingProcessingTimeWindows.of(10)).allowedLateness(5).reduce(sum),
      ),
    ).rejects.toThrow(/event-time windows only/);
  });
});
