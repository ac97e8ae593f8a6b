import { describe, expect, it } from 'vitest';
import {
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../../client/api/state.ts';
import { assignToKeyGroup } from '../../../common/key-groups.ts';
import { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { MAX_PARALLELISM, openBackend, useStateDbs } from './fixtures.ts';

const dbs = useStateDbs();

/** A key of the given key group. */
function keyIn(keyGroup: number, salt = 0): string {
  for (let i = salt; ; i++) if (assignToKeyGroup(`k${i}`, MAX_PARALLELISM) === keyGroup) return `k${i}`;
}

/** A manual clock. */
function fakeClock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('LevelDbKeyedStateBackend', () => {
  it('rejects keys outside its key-group range with a clear error', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db, { keyGroupRange: { start: 0, end: 63 } });
    expect(() => backend.setCurrentKey(keyIn(10))).not.toThrow();
    expect(backend.currentKeyGroup).toBe(10);
    expect(() => backend.setCurrentKey(keyIn(64))).toThrow(/key group 64, outside the key groups \[0, 63\]/);
    expect(() => backend.setCurrentKey(1.5)).toThrow(TypeError);
  });

  it('refuses state access before a key is set', async () => {
    const backend = await openBackend(await dbs.open());
    const state = backend.getState(new ValueStateDescriptor<number>('v'));
    expect(() => state.value()).toThrow(/before a key was set/);
  });

  it('returns one handle per name, and rejects the same name with another kind or a reserved name', async () => {
    const backend = await openBackend(await dbs.open());
    const a = backend.getState(new ValueStateDescriptor<number>('x'));
    expect(backend.getInternalValueState(new ValueStateDescriptor<number>('x'))).toBe(a);
    expect(() => backend.getListState(new ListStateDescriptor<number>('x'))).toThrow(/is value state, not list state/);
    expect(() => backend.getState(new ValueStateDescriptor('\u0000timers'))).toThrow(/reserved/);
  });

  it('keeps namespaces apart and switches them on the internal handle', async () => {
    const backend = await openBackend(await dbs.open());
    const state = backend.getInternalValueState(new ValueStateDescriptor<string>('v'));
    backend.setCurrentKey('k');
    state.update('void');
    state.setCurrentNamespace('w1');
    expect(state.value()).toBeUndefined();
    state.update('w1');
    state.setCurrentNamespace('');
    expect(state.value()).toBe('void');
  });

  it('does not let users corrupt lists and maps through returned arrays', async () => {
    const backend = await openBackend(await dbs.open());
    backend.setCurrentKey('k');
    const list = backend.getListState(new ListStateDescriptor<number>('l'));
    list.addAll([1, 2]);
    list.get().push(3);
    expect(list.get()).toEqual([1, 2]);
    const source = [4, 5];
    list.update(source);
    source.push(6);
    expect(list.get()).toEqual([4, 5]);
    const map = backend.getMapState(new MapStateDescriptor<string, number>('m'));
    map.put('a', 1);
    map.entries().push(['b', 2]);
    map.keys().push('c');
    expect(map.entries()).toEqual([['a', 1]]);
  });

  it('keeps two operators sharing a database and key groups apart; open() clears only its own', async () => {
    const db = await dbs.open();
    const descriptor = new ValueStateDescriptor<string>('same-name');
    const one = await openBackend(db, { operatorId: 'one' });
    const two = await openBackend(db, { operatorId: 'two' });
    for (const backend of [one, two]) {
      for (let i = 0; i < 50; i++) {
        backend.setCurrentKey(i);
        backend.getState(descriptor).update(`${backend.operatorId}-${i}`);
      }
      await backend.flush();
    }
    one.setCurrentKey(7);
    two.setCurrentKey(7);
    expect(one.getState(descriptor).value()).toBe('one-7');
    expect(two.getState(descriptor).value()).toBe('two-7');

    // A new run of operator one in half of the key groups, over the same database.
    const again = new LevelDbKeyedStateBackend({ db, operatorId: 'one', maxParallelism: MAX_PARALLELISM, keyGroupRange: { start: 0, end: 63 } });
    await again.open();
    const reader = new LevelDbKeyedStateBackend({ db, operatorId: 'one', maxParallelism: MAX_PARALLELISM, keyGroupRange: { start: 0, end: 127 } });
    const twoReader = new LevelDbKeyedStateBackend({ db, operatorId: 'two', maxParallelism: MAX_PARALLELISM, keyGroupRange: { start: 0, end: 127 } });
    for (let i = 0; i < 50; i++) {
      reader.setCurrentKey(i);
      const cleared = reader.currentKeyGroup <= 63;
      expect(reader.getState(descriptor).value()).toBe(cleared ? undefined : `one-${i}`);
      twoReader.setCurrentKey(i);
      expect(twoReader.getState(descriptor).value()).toBe(`two-${i}`);
    }
  });

  it('evicts down to the cache limit on flush and counts stored entries', async () => {
    const backend = await openBackend(await dbs.open(), { cache: { maxEntries: 10 } });
    const state = backend.getState(new ValueStateDescriptor<number>('v'));
    for (let i = 0; i < 100; i++) {
      backend.setCurrentKey(i);
      state.update(i);
    }
    expect(backend.needsFlush).toBe(true);
    expect(backend.stats().cachedEntries).toBe(100);
    await backend.flush();
    expect(backend.needsFlush).toBe(false);
    expect(backend.stats()).toMatchObject({ cachedEntries: 9, storedEntries: 100 });
    expect(backend.stats().cachedBytes).toBeGreaterThan(0);
    for (let i = 0; i < 100; i += 2) {
      backend.setCurrentKey(i);
      state.clear();
    }
    backend.setCurrentKey(1000);
    state.clear();
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(50);
    for (let i = 0; i < 100; i++) {
      backend.setCurrentKey(i);
      expect(state.value()).toBe(i % 2 === 0 ? undefined : i);
    }
  });

  it('writes changes made while a flush is in flight with the next flush', async () => {
    const backend = await openBackend(await dbs.open(), { cache: { maxEntries: 1 } });
    const state = backend.getReducingState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b));
    backend.setCurrentKey('a');
    state.add(1);
    backend.setCurrentKey('c');
    state.add(9);
    backend.setCurrentKey('a');
    const flushing = backend.flush();
    state.add(2);
    backend.setCurrentKey('b');
    state.add(5);
    backend.setCurrentKey('c');
    state.clear();
    await flushing;
    expect(backend.stats().cachedEntries).toBe(3);
    backend.setCurrentKey('a');
    expect(state.get()).toBe(3);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(2);
    await backend.close();
    backend.setCurrentKey('a');
    expect(state.get()).toBe(3);
    backend.setCurrentKey('b');
    expect(state.get()).toBe(5);
    backend.setCurrentKey('c');
    expect(state.get()).toBeUndefined();
  });

  describe('TTL', () => {
    it('lets values expire (OnCreateAndWrite: reads do not refresh)', async () => {
      const clock = fakeClock();
      const backend = await openBackend(await dbs.open(), { clock: clock.now, cache: { maxEntries: 2 } });
      const state = backend.getState(new ValueStateDescriptor<string>('v', { ttl: { ttlMs: 100 } }));
      const list = backend.getListState(new ListStateDescriptor<number>('l', { ttl: { ttlMs: 100 } }));
      backend.setCurrentKey('k');
      state.update('x');
      list.add(1);
      clock.advance(60);
      expect(state.value()).toBe('x');
      list.add(2);
      await backend.flush();
      backend.setCurrentKey('other');
      state.update('y');
      await backend.flush();
      backend.setCurrentKey('k');
      clock.advance(40);
      expect(state.value()).toBeUndefined();
      expect(list.get()).toEqual([1, 2]);
      clock.advance(60);
      expect(list.get()).toEqual([]);
      await backend.flush();
      expect(backend.stats().storedEntries).toBe(1);
    });

    it('refreshes on reads with OnReadAndWrite, also after a reload from the database', async () => {
      const clock = fakeClock();
      const backend = await openBackend(await dbs.open(), { clock: clock.now, cache: { maxEntries: 1 } });
      const state = backend.getMapState(
        new MapStateDescriptor<string, number>('m', { ttl: { ttlMs: 100, updateType: 'OnReadAndWrite' } }),
      );
      backend.setCurrentKey('k');
      state.put('a', 1);
      for (let i = 0; i < 5; i++) {
        clock.advance(90);
        expect(state.get('a')).toBe(1);
        await backend.flush();
        backend.setCurrentKey(`evict-${i}`);
        state.put('z', 0);
        await backend.flush();
        backend.setCurrentKey('k');
      }
      clock.advance(100);
      expect(state.get('a')).toBeUndefined();
      expect(state.isEmpty()).toBe(true);
    });
  });
});
