/** Window state goes away once windows are purged or cleaned up: contents, trigger state and timers. */
import { describe, expect, it } from 'vitest';
import { ListStateDescriptor, ReducingStateDescriptor } from '../../../client/api/state.ts';
import { TumblingEventTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { WINDOW_CONTENTS_STATE } from '../../../taskmanager/operators/window/window-contents.ts';
import { openWindow } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

describe('window state cleanup', () => {
  it('clears contents and timers of fired event-time windows', async () => {
    const { harness, backend, timers } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) =>
        keyed.window(TumblingEventTimeWindows.of(10)).process({
          process(key, _ctx, elements, out) {
            out.collect({ key, n: elements.length });
          },
        }),
    );
    for (let i = 0; i < 50; i++) harness.processElement({ key: `k${i % 5}`, v: i }, (i * 7) % 40);
    await backend.flush();
    // 5 keys x 4 windows of contents, and one timer per key and window.
    expect(backend.stats().storedEntries).toBe(40);
    expect(timers.size.eventTime).toBe(20);

    harness.processWatermark(19);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(20);

    const contents = backend.getInternalListState(new ListStateDescriptor<Event>(WINDOW_CONTENTS_STATE));
    backend.setCurrentKey('k0');
    contents.setCurrentNamespace('0:10');
    expect(contents.get()).toEqual([]);
    contents.setCurrentNamespace('20:30');
    expect(contents.get().length).toBeGreaterThan(0);

    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(harness.values()).toHaveLength(20);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(0);
    expect(timers.size).toEqual({ eventTime: 0, processingTime: 0 });
  });

  it('clears contents and trigger state of purged count windows', async () => {
    const { harness, backend } = await openWindow<Event, string>(
      (e) => e.key,
      (keyed) => keyed.countWindow(2).reduce((x, y) => ({ key: x.key, v: x.v + y.v })),
    );
    harness.processElement({ key: 'a', v: 1 });
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(2); // contents and count
    harness.processElement({ key: 'a', v: 2 });
    expect(harness.values()).toEqual([{ key: 'a', v: 3 }]);
    const contents = backend.getInternalReducingState(new ReducingStateDescriptor<Event>(WINDOW_CONTENTS_STATE, (x) => x));
    backend.setCurrentKey('a');
    contents.setCurrentNamespace('global');
    expect(contents.get()).toBeUndefined();
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(0);
  });
});
