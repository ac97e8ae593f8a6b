/** Event-time tumbling windows over out-of-order input: counts and sums per key and window. */
import { describe, expect, it } from 'vitest';
import type { AggregateFunction } from '../../../client/api/state.ts';
import { TumblingEventTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { emitted, openWindow, sortedByJson } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

const count: AggregateFunction<Event, number, number> = {
  createAccumulator: () => 0,
  add: (_e, acc) => acc + 1,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};

// Out of order: timestamps jump back and forth across window boundaries (windows of 10 s).
const INPUT: [Event, number][] = [
  [{ key: 'a', v: 1 }, 1_000],
  [{ key: 'b', v: 10 }, 12_000],
  [{ key: 'a', v: 2 }, 9_999],
  [{ key: 'a', v: 4 }, 10_000],
  [{ key: 'b', v: 20 }, 3_000],
  [{ key: 'a', v: 8 }, 5_000],
  [{ key: 'b', v: 30 }, 19_999],
  [{ key: 'a', v: 16 }, 21_000],
];

describe('tumbling event-time windows', () => {
  it('sums per key and window, firing when the watermark passes the window end', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingEventTimeWindows.of(10_000)).reduce((x, y) => ({ key: x.key, v: x.v + y.v })),
    );
    for (const [e, ts] of INPUT) harness.processElement(e, ts);
    expect(harness.values()).toEqual([]);

    harness.processWatermark(9_998);
    expect(harness.values()).toEqual([]);

    harness.processWatermark(9_999);
    // [0, 10000): a = 1 + 2 + 8, b = 20; emitted with the window's max timestamp.
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      [{ key: 'a', v: 11 }, 9_999],
      [{ key: 'b', v: 20 }, 9_999],
    ]));
    harness.clearOutput();

    harness.processWatermark(25_000);
    // [10000, 20000): a = 4, b = 10 + 30; [20000, 30000) is still open.
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      [{ key: 'a', v: 4 }, 19_999],
      [{ key: 'b', v: 40 }, 19_999],
    ]));
    harness.clearOutput();

    // End of input: the MAX watermark fires the remaining window.
    await harness.finishAndClose();
    expect(emitted(harness)).toEqual([[{ key: 'a', v: 16 }, 29_999]]);
  });

  it('counts per key and window with an aggregate function', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(TumblingEventTimeWindows.of(10_000)).aggregate(count),
    );
    for (const [e, ts] of INPUT) harness.processElement(e, ts);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    // a: [0,10) 3, [10,20) 1, [20,30) 1; b: [0,10) 1, [10,20) 2.
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      [3, 9_999],
      [1, 9_999],
      [1, 19_999],
      [2, 19_999],
      [1, 29_999],
    ]));
  });

  it('aligns windows to the epoch plus the offset', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed.window(TumblingEventTimeWindows.of(10_000, 2_000)).process({
          process(_key, ctx, elements, out) {
            out.collect({ window: ctx.window, vs: elements.map((e) => e.v) });
          },
        }),
    );
    harness.processElement({ key: 'a', v: 1 }, 1_999);
    harness.processElement({ key: 'a', v: 2 }, 2_000);
    harness.processElement({ key: 'a', v: 3 }, -500);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(harness.values()).toEqual([
      { window: { start: -8_000, end: 2_000 }, vs: [1, 3] },
      { window: { start: 2_000, end: 12_000 }, vs: [2] },
    ]);
  });
});
