/** Event-time sliding windows (size 30 s, slide 15 s): every element is in two windows. */
import { describe, expect, it } from 'vitest';
import { SlidingEventTimeWindows } from '../../../client/api/windowing/sliding-windows.ts';
import { emitted, openWindow, sortedByJson } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

const sum = (x: Event, y: Event): Event => ({ key: x.key, v: x.v + y.v });

describe('sliding event-time windows', () => {
  it('adds each element to size / slide windows and fires each window at its end', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(SlidingEventTimeWindows.of(30_000, 15_000)).reduce(sum),
    );
    // Out of order. Windows of each timestamp:
    //   5_000, 14_999 -> [-15s, 15s) and [0, 30s); 15_000, 16_000, 20_000 -> [0, 30s) and [15s, 45s);
    //   31_000 -> [15s, 45s) and [30s, 60s).
    harness.processElement({ key: 'a', v: 1 }, 5_000);
    harness.processElement({ key: 'a', v: 2 }, 20_000);
    harness.processElement({ key: 'b', v: 100 }, 15_000);
    harness.processElement({ key: 'a', v: 4 }, 14_999);
    harness.processElement({ key: 'a', v: 8 }, 31_000);
    harness.processElement({ key: 'a', v: 16 }, 16_000);

    harness.processWatermark(14_999);
    expect(emitted(harness)).toEqual([[{ key: 'a', v: 1 + 4 }, 14_999]]);
    harness.clearOutput();

    harness.processWatermark(30_000);
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      [{ key: 'a', v: 1 + 2 + 4 + 16 }, 29_999],
      [{ key: 'b', v: 100 }, 29_999],
    ]));
    harness.clearOutput();

    harness.processWatermark(Number.POSITIVE_INFINITY);
    const rest = emitted(harness);
    expect(sortedByJson(rest.slice(0, 2))).toEqual(sortedByJson([
      [{ key: 'a', v: 2 + 8 + 16 }, 44_999],
      [{ key: 'b', v: 100 }, 44_999],
    ]));
    expect(rest.slice(2)).toEqual([[{ key: 'a', v: 8 }, 59_999]]);
  });
});
