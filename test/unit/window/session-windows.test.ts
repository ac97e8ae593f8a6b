/** Event-time session windows: merging as elements bridge sessions, merged results, state cleanup. */
import { describe, expect, it } from 'vitest';
import { OutputTag } from '../../../client/api/functions.ts';
import { ValueStateDescriptor } from '../../../client/api/state.ts';
import { EventTimeSessionWindows } from '../../../client/api/windowing/session-windows.ts';
import { MERGING_WINDOWS_STATE } from '../../../taskmanager/operators/window/merging-window-set.ts';
import { emitted, openWindow } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

interface Session {
  key: string;
  start: number;
  end: number;
  vs: number[];
}

describe('event-time session windows', () => {
  it('merges sessions that new elements overlap, touch or bridge, and fires each merged session once', async () => {
    const { harness, backend, timers } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed.window(EventTimeSessionWindows.withGap(10_000)).process<Session>({
          process(key, ctx, elements, out) {
            out.collect({ key, start: ctx.window.start, end: ctx.window.end, vs: elements.map((e) => e.v).sort((x, y) => x - y) });
          },
        }),
    );
    harness.processElement({ key: 'a', v: 1 }, 1_000); // a: [1s, 11s)
    harness.processElement({ key: 'a', v: 2 }, 30_000); // a: [1s, 11s) [30s, 40s)
    harness.processElement({ key: 'a', v: 4 }, 5_000); // a: [1s, 15s) [30s, 40s)
    harness.processElement({ key: 'b', v: 100 }, 0); // b: [0, 10s)
    harness.processElement({ key: 'b', v: 200 }, 10_000); // touches: b: [0, 20s)

    // [1s, 11s) would have fired here had it not merged into [1s, 15s).
    harness.processWatermark(12_000);
    expect(harness.values()).toEqual([]);

    harness.processElement({ key: 'a', v: 8 }, 22_000); // a: [1s, 15s) [22s, 40s)
    harness.processElement({ key: 'a', v: 16 }, 14_000); // bridges both: a: [1s, 40s)
    harness.processElement({ key: 'a', v: 32 }, 60_000); // a: [1s, 40s) [60s, 70s)
    harness.processElement({ key: 'b', v: 400 }, 50_000); // b: [0, 20s) [50s, 60s)

    harness.processWatermark(39_998);
    expect(emitted(harness)).toEqual([[{ key: 'b', start: 0, end: 20_000, vs: [100, 200] }, 19_999]]);
    harness.clearOutput();

    harness.processWatermark(39_999);
    expect(emitted(harness)).toEqual([[{ key: 'a', start: 1_000, end: 40_000, vs: [1, 2, 4, 8, 16] }, 39_999]]);
    harness.clearOutput();

    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(emitted(harness)).toEqual([
      [{ key: 'b', start: 50_000, end: 60_000, vs: [400] }, 59_999],
      [{ key: 'a', start: 60_000, end: 70_000, vs: [32] }, 69_999],
    ]);

    // Everything is cleaned up: no timers, no merging window sets, nothing stored.
    expect(timers.size).toEqual({ eventTime: 0, processingTime: 0 });
    const sets = backend.getInternalValueState(new ValueStateDescriptor<string[]>(MERGING_WINDOWS_STATE));
    for (const key of ['a', 'b']) {
      backend.setCurrentKey(key);
      expect(sets.value()).toBeUndefined();
    }
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(0);
  });

  it('sums merged sessions with reduce (contents merge through the reducing state)', async () => {
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(EventTimeSessionWindows.withGap(10)).reduce((x, y) => ({ key: x.key, v: x.v + y.v })),
    );
    harness.processElement({ key: 'a', v: 1 }, 0);
    harness.processElement({ key: 'a', v: 2 }, 20);
    harness.processElement({ key: 'a', v: 4 }, 10); // [10, 20) touches [0, 10) and [20, 30): [0, 30)
    harness.processElement({ key: 'a', v: 8 }, 100);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(emitted(harness)).toEqual([
      [{ key: 'a', v: 7 }, 29],
      [{ key: 'a', v: 8 }, 109],
    ]);
  });

  it('lets a late element join a session that is still open, and sends a late element alone to the side output', async () => {
    const late = new OutputTag<Event>('late');
    const { harness } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed
          .window(EventTimeSessionWindows.withGap(10))
          .sideOutputLateData(late)
          .reduce((x, y) => ({ key: x.key, v: x.v + y.v })),
    );
    harness.processElement({ key: 'a', v: 1 }, 20); // [20, 30)
    harness.processWatermark(25);
    harness.processElement({ key: 'a', v: 2 }, 12); // [12, 22) is late, but merges into [12, 30), which is not
    harness.processElement({ key: 'a', v: 4 }, 1); // [1, 11) is late and merges with nothing
    expect(harness.sideValues('late')).toEqual([{ key: 'a', v: 4 }]);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(emitted(harness)).toEqual([[{ key: 'a', v: 3 }, 29]]);
  });

  it('with allowed lateness, re-fires merged sessions for late elements until their cleanup time', async () => {
    const { harness, backend } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.window(EventTimeSessionWindows.withGap(10)).allowedLateness(20).reduce((x, y) => ({ key: x.key, v: x.v + y.v })),
    );
    harness.processElement({ key: 'a', v: 1 }, 0); // [0, 10)
    harness.processWatermark(15); // fires [0, 10); kept until 29
    harness.processElement({ key: 'a', v: 2 }, 12); // [12, 22)
    harness.processElement({ key: 'a', v: 4 }, 5); // late but allowed; bridges both: [0, 22)
    harness.processWatermark(21); // fires [0, 22)
    harness.processElement({ key: 'a', v: 8 }, 1); // inside [0, 22), which is past its end: fires at once
    harness.processWatermark(41); // cleanup of [0, 22)
    harness.processElement({ key: 'a', v: 16 }, 3); // [3, 13) is past its cleanup time: dropped
    expect(emitted(harness)).toEqual([
      [{ key: 'a', v: 1 }, 9],
      [{ key: 'a', v: 7 }, 21],
      [{ key: 'a', v: 15 }, 21],
    ]);
    expect(harness.operator.lateRecordsDropped).toBe(1);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(0);
  });
});
