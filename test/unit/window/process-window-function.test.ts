/** Process window functions: window metadata, pre-aggregation, per-window and global state, side outputs. */
import { describe, expect, it } from 'vitest';
import { OutputTag } from '../../../client/api/functions.ts';
import { ValueStateDescriptor, type AggregateFunction } from '../../../client/api/state.ts';
import type { TimeWindow } from '../../../client/api/windowing/time-window.ts';
import { TumblingEventTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { emitted, openWindow, sortedByJson } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

const max = (x: Event, y: Event): Event => (y.v > x.v ? y : x);

const average: AggregateFunction<Event, { sum: number; n: number }, number> = {
  createAccumulator: () => ({ sum: 0, n: 0 }),
  add: (e, acc) => ({ sum: acc.sum + e.v, n: acc.n + 1 }),
  getResult: (acc) => acc.sum / acc.n,
  merge: (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n }),
};

describe('process window functions', () => {
  it('reduce + process: the single reduced value with the key, window and watermark', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed.window(TumblingEventTimeWindows.of(10_000)).reduce(max, {
          process(key, ctx, elements, out) {
            out.collect({ key, window: ctx.window, elements, watermark: ctx.currentWatermark() });
          },
        }),
    );
    harness.processElement({ key: 'a', v: 3 }, 4_000);
    harness.processElement({ key: 'a', v: 7 }, 14_000);
    harness.processElement({ key: 'a', v: 9 }, 1_000);
    harness.processElement({ key: 'b', v: 2 }, 9_000);
    harness.processElement({ key: 'a', v: 5 }, 8_000);
    harness.processWatermark(12_000);
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      [{ key: 'a', window: { start: 0, end: 10_000 }, elements: [{ key: 'a', v: 9 }], watermark: 12_000 }, 9_999],
      [{ key: 'b', window: { start: 0, end: 10_000 }, elements: [{ key: 'b', v: 2 }], watermark: 12_000 }, 9_999],
    ]));
    // Results are plain data.
    expect(JSON.parse(JSON.stringify(harness.values()))).toEqual(harness.values());
  });

  it('aggregate + process: the aggregate result with window metadata', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed.window(TumblingEventTimeWindows.of(10_000)).aggregate(average, {
          process(key, ctx, averages, out) {
            out.collect({ key, start: ctx.window.start, average: averages[0] });
          },
        }),
    );
    harness.processElement({ key: 'a', v: 1 }, 12_000);
    harness.processElement({ key: 'a', v: 2 }, 3_000);
    harness.processElement({ key: 'a', v: 6 }, 1_000);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(harness.values()).toEqual([
      { key: 'a', start: 0, average: 4 },
      { key: 'a', start: 10_000, average: 1 },
    ]);
  });

  it('per-window state lives until the window is cleared; global state spans windows; side outputs carry the window end', async () => {
    const firings = new ValueStateDescriptor<number>('firings');
    const total = new ValueStateDescriptor<number>('total');
    const cleared: TimeWindow[] = [];
    const FIRINGS = new OutputTag<string>('firings');
    const { harness, backend } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed
          .window(TumblingEventTimeWindows.of(10_000))
          .allowedLateness(10_000)
          .process<{ n: number; firing: number; total: number }>({
            process(_key, ctx, elements, out) {
              const perWindow = ctx.windowState().getState(firings);
              const firing = (perWindow.value() ?? 0) + 1;
              perWindow.update(firing);
              const global = ctx.globalState().getState(total);
              const sum = (global.value() ?? 0) + elements.length;
              global.update(sum);
              out.collect({ n: elements.length, firing, total: sum });
              ctx.output(FIRINGS, `${ctx.window.start}#${firing}`);
            },
            clear(ctx) {
              cleared.push(ctx.window);
              ctx.windowState().getState(firings).clear();
            },
          }),
    );
    harness.processElement({ key: 'a', v: 1 }, 1_000);
    harness.processElement({ key: 'a', v: 2 }, 2_000);
    harness.processWatermark(10_000);
    harness.processElement({ key: 'a', v: 3 }, 3_000); // late within lateness: fires again
    harness.processElement({ key: 'a', v: 4 }, 15_000);
    harness.processWatermark(19_999);
    expect(harness.values()).toEqual([
      { n: 2, firing: 1, total: 2 },
      { n: 3, firing: 2, total: 5 },
      { n: 1, firing: 1, total: 6 },
    ]);
    expect(harness.output.side.get('firings')?.map((r) => [r.value, r.timestamp])).toEqual([
      ['0#1', 9_999],
      ['0#2', 9_999],
      ['10000#1', 19_999],
    ]);
    expect(cleared).toEqual([{ start: 0, end: 10_000 }]);
    const perWindow = backend.getInternalValueState(firings);
    backend.setCurrentKey('a');
    perWindow.setCurrentNamespace('0:10000');
    expect(perWindow.value()).toBeUndefined();
    perWindow.setCurrentNamespace('10000:20000');
    expect(perWindow.value()).toBe(1);
  });
});
