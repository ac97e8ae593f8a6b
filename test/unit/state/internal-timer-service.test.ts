import { describe, expect, it } from 'vitest';
import { ValueStateDescriptor } from '../../../client/api/state.ts';
import type { KeyValue } from '../../../common/key-groups.ts';
import { InternalTimerServiceImpl } from '../../../taskmanager/state/internal-timer-service.ts';
import type { InternalTimer } from '../../../taskmanager/state/keyed-state-backend.ts';
import type { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { openBackend, prng, useStateDbs } from './fixtures.ts';

const dbs = useStateDbs();

async function setup(maxEntries = 16): Promise<{ backend: LevelDbKeyedStateBackend; timers: InternalTimerServiceImpl }> {
  const backend = await openBackend(await dbs.open(), { cache: { maxEntries } });
  const timers = new InternalTimerServiceImpl(backend);
  await timers.open();
  return { backend, timers };
}

/** Registers an event-time timer for a key. */
function at(backend: LevelDbKeyedStateBackend, timers: InternalTimerServiceImpl, key: KeyValue, time: number, namespace = ''): void {
  backend.setCurrentKey(key);
  timers.registerEventTimeTimer(namespace, time);
}

describe('InternalTimerServiceImpl', () => {
  it('fires event-time timers in timestamp order across keys, with the key set, up to the watermark', async () => {
    const { backend, timers } = await setup();
    const random = prng(11);
    const expected: [number, KeyValue][] = [];
    for (let i = 0; i < 500; i++) {
      const key = random.pick<KeyValue>(['a', 'b', 3, ['x', 1]]);
      const time = random.int(1000);
      at(backend, timers, key, time, 'w');
      if (!expected.some(([t, k]) => t === time && JSON.stringify(k) === JSON.stringify(key))) expected.push([time, key]);
      if (backend.needsFlush) await backend.flush();
    }
    expect(timers.size.eventTime).toBe(expected.length);
    const fired: [number, KeyValue][] = [];
    timers.advanceWatermark(499, (timer) => {
      expect(backend.currentKey).toEqual(timer.key);
      expect(timer.namespace).toBe('w');
      fired.push([timer.timestamp, timer.key]);
    });
    const times = fired.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(fired.length).toBe(expected.filter(([t]) => t <= 499).length);
    expect(timers.currentWatermark).toBe(499);
    expect(timers.size.eventTime).toBe(expected.length - fired.length);
    timers.advanceWatermark(Number.POSITIVE_INFINITY, (timer) => fired.push([timer.timestamp, timer.key]));
    expect(fired.length).toBe(expected.length);
    expect(timers.size.eventTime).toBe(0);
  });

  it('fires a timer registered twice once, in registration order among equal timestamps', async () => {
    const { backend, timers } = await setup();
    at(backend, timers, 'b', 10);
    at(backend, timers, 'a', 10);
    at(backend, timers, 'b', 10);
    at(backend, timers, 'a', 10, 'other-namespace');
    const fired: string[] = [];
    timers.advanceWatermark(10, (t) => fired.push(`${String(t.key)}/${t.namespace}`));
    expect(fired).toEqual(['b/', 'a/', 'a/other-namespace']);
  });

  it('never fires deleted timers, even after many deletions', async () => {
    const { backend, timers } = await setup();
    for (let i = 0; i < 5000; i++) at(backend, timers, i % 10, i);
    for (let i = 0; i < 5000; i++) {
      if (i % 100 === 0) continue;
      backend.setCurrentKey(i % 10);
      timers.deleteEventTimeTimer('', i);
    }
    backend.setCurrentKey('never-registered');
    timers.deleteEventTimeTimer('', 1);
    expect(timers.size.eventTime).toBe(50);
    const fired: number[] = [];
    timers.advanceWatermark(10_000, (t) => fired.push(t.timestamp));
    expect(fired).toEqual(Array.from({ length: 50 }, (_, i) => i * 100));
  });

  it('fires timers that callbacks register at or before the watermark, in the same call', async () => {
    const { backend, timers } = await setup();
    at(backend, timers, 'a', 5);
    const fired: string[] = [];
    timers.advanceWatermark(20, (t) => {
      fired.push(`${String(t.key)}@${t.timestamp}`);
      if (t.timestamp === 5) {
        backend.setCurrentKey('b');
        timers.registerEventTimeTimer('', 7);
        timers.registerEventTimeTimer('', 21);
      }
    });
    expect(fired).toEqual(['a@5', 'b@7']);
    expect(timers.size.eventTime).toBe(1);
  });

  it('fires processing-time timers separately, and reports the next one', async () => {
    const { backend, timers } = await setup();
    backend.setCurrentKey('p');
    timers.registerProcessingTimeTimer('', 300);
    timers.registerProcessingTimeTimer('', 100);
    timers.registerProcessingTimeTimer('', 200);
    timers.deleteProcessingTimeTimer('', 100);
    at(backend, timers, 'e', 50);
    expect(timers.nextProcessingTime()).toBe(200);
    const fired: InternalTimer[] = [];
    timers.fireProcessingTimers(250, (t) => fired.push(t));
    expect(fired.map((t) => t.timestamp)).toEqual([200]);
    expect(timers.nextProcessingTime()).toBe(300);
    expect(timers.size).toEqual({ eventTime: 1, processingTime: 1 });
    timers.fireProcessingTimers(1000, (t) => fired.push(t));
    expect(timers.nextProcessingTime()).toBeUndefined();
  });

  it('keeps timers in state and drops them on open', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db);
    const timers = new InternalTimerServiceImpl(backend);
    await timers.open();
    for (let i = 0; i < 100; i++) at(backend, timers, i, i);
    backend.setCurrentKey(0);
    backend.getState(new ValueStateDescriptor<number>('v')).update(1);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(101);
    timers.advanceWatermark(49, () => undefined);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(51);
    await timers.open();
    expect(timers.size.eventTime).toBe(0);
    expect(backend.stats().storedEntries).toBe(1);
    expect(await db.deleteStates(db.stateIdsOf('op'), { start: 0, end: 127 })).toBe(1);
  });
});
