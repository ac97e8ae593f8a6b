/**
 * What the write-back cache spares LevelDB, seen from the keyed backend: the database calls
 * (`write`, `getSync`) are counted with spies, and what the database holds is scanned.
 *
 * - Deletes of what the database does not hold (a window's contents, created and cleared between
 *   flushes) are no-ops: they do not count toward `needsFlush`'s dirty threshold, and
 *   `flushBehind` forgets them before deciding to flush, so a window-like workload that overfills
 *   the cache with them never writes to the database. Live entries still are flushed.
 * - A miss in a (state, namespace) the database holds nothing of does not read it: after `open`,
 *   for namespaces never written or whose last entry was deleted, and after `restore` for the
 *   namespaces the restored data lacks. A backend that never learnt what its range holds (no
 *   `open` or `restore`) reads on every miss; `close` keeps what it learnt.
 *
 * Delta snapshots are in write-back-cache-delta-snapshots.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { ValueStateDescriptor } from '../../../client/api/state.ts';
import type { KeyValue } from '../../../common/key-groups.ts';
import type { InternalValueState } from '../../../taskmanager/state/keyed-state-backend.ts';
import { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import type { StateDb } from '../../../taskmanager/state/state-db.ts';
import { OPERATOR, restoreFrom, snapshotInto, STATES, storedKeys, useKeyedStates } from '../checkpoint/fixtures.ts';
import { ALL_KEY_GROUPS, MAX_PARALLELISM, mixedKeys, openBackend, useStateDbs } from './fixtures.ts';

const dbs = useStateDbs();
const states = useKeyedStates();

/** A value state of its own, next to the fixtures' STATES. */
const LAST = new ValueStateDescriptor<number>('last');

/** Namespace, then key, of each stored entry of the operator, sorted. */
async function storedNames(backend: LevelDbKeyedStateBackend): Promise<string[]> {
  return (await storedKeys(backend)).map((k) => `${k.namespace}|${JSON.stringify(k.key)}`).sort();
}

/** Sets each key's value in namespace `a` to its index. */
function writeIndexes(backend: LevelDbKeyedStateBackend, state: InternalValueState<number>, keys: readonly KeyValue[]): void {
  state.setCurrentNamespace('a');
  keys.forEach((key, i) => {
    backend.setCurrentKey(key);
    state.update(i);
  });
}

describe('write-back cache: deletes of what nothing holds', () => {
  it('does not count them toward the dirty threshold; flushBehind forgets them and writes only live entries', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db, { cache: { maxEntries: 1000, dirtyThreshold: 10 } });
    const state = backend.getInternalValueState(LAST);
    const write = vi.spyOn(db, 'write');
    const keys = Array.from({ length: 9 }, (_, i) => `key-${i}`);
    const updateAll = (namespace: string): void => {
      state.setCurrentNamespace(namespace);
      keys.forEach((key, i) => {
        backend.setCurrentKey(key);
        state.update(i);
      });
    };

    updateAll('w0');
    expect(backend.needsFlush).toBe(false);
    state.setCurrentNamespace('w0');
    for (const key of keys) {
      backend.setCurrentKey(key);
      state.clear();
    }
    updateAll('w1');
    // 9 live entries and 9 no-op deletes: counting the deletes would reach the threshold of 10.
    expect(backend.needsFlush).toBe(false);
    expect(backend.stats().cachedEntries).toBe(18);

    // A no-op delete written again is live again, and counts.
    state.setCurrentNamespace('w0');
    backend.setCurrentKey('key-0');
    state.update(100);
    expect(backend.needsFlush).toBe(true);

    expect(backend.flushBehind()).toBeUndefined();
    // The 8 deletes were forgotten, unwritten; the 10 live entries went in one batch.
    expect(backend.stats().cachedEntries).toBe(10);
    expect(write).toHaveBeenCalledTimes(1);
    const ops = write.mock.calls[0]?.[0] ?? [];
    expect(ops.map((op) => op.type)).toEqual(Array<string>(10).fill('put'));
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(10);
    expect(await storedNames(backend)).toEqual(['w0|"key-0"', ...keys.map((key) => `w1|${JSON.stringify(key)}`)].sort());
  });

  it('never writes a window workload to the database, though its cleared windows overfill the cache', async () => {
    const db = await dbs.open();
    const maxEntries = 64;
    const backend = await openBackend(db, { cache: { maxEntries, dirtyThreshold: 60 } });
    const average = backend.getInternalAggregatingState(STATES.aggregating);
    const last = backend.getInternalValueState(LAST);
    const write = vi.spyOn(db, 'write');
    const getSync = vi.spyOn(db, 'getSync');
    // 24 keys × 2 states: a window's 48 live entries fit the cache and stay under the threshold.
    const keys = mixedKeys(24);
    const windows = 30;
    let sweeps = 0;
    let mostCached = 0;
    const afterRecord = async (): Promise<void> => {
      mostCached = Math.max(mostCached, backend.stats().cachedEntries);
      if (!backend.needsFlush) return;
      sweeps++;
      const pending = backend.flushBehind();
      expect(pending).toBeUndefined();
      await pending;
      expect(backend.needsFlush).toBe(false);
      expect(backend.stats().cachedEntries).toBeLessThanOrEqual(keys.length * 2);
      expect(backend.stats().storedEntries).toBe(0);
    };

    for (let w = 0; w < windows; w++) {
      average.setCurrentNamespace(`w${w}`);
      last.setCurrentNamespace(`w${w}`);
      for (let round = 0; round < 3; round++) {
        for (const [i, key] of keys.entries()) {
          backend.setCurrentKey(key);
          average.add(w + i + round);
          last.update(round);
          await afterRecord();
        }
      }
      // The window fires: its result, then its contents are cleared.
      for (const [i, key] of keys.entries()) {
        backend.setCurrentKey(key);
        expect(average.get()).toBe(w + i + 1);
        expect(last.value()).toBe(2);
        average.clear();
        last.clear();
      }
    }

    // Each new window went over the limit once, because of the previous window's dead entries.
    expect(sweeps).toBeGreaterThanOrEqual(windows - 1);
    expect(mostCached).toBeGreaterThan(maxEntries);
    expect(write).not.toHaveBeenCalled();
    expect(getSync).not.toHaveBeenCalled();
    expect(backend.stats().storedEntries).toBe(0);
    expect(await storedKeys(backend)).toEqual([]);

    // What is left is the last window's deletes: a flush writes none of them and forgets them.
    await backend.flush();
    expect(backend.stats()).toMatchObject({ cachedEntries: 0, storedEntries: 0 });
    expect(await storedKeys(backend)).toEqual([]);
  });

  it('writes only the oldest live entries eviction needs when they overfill the cache, and reads them back', async () => {
    const db = await dbs.open();
    const maxEntries = 64;
    const backend = await openBackend(db, { cache: { maxEntries, dirtyThreshold: 1000 } });
    const last = backend.getInternalValueState(LAST);
    const write = vi.spyOn(db, 'write');
    const keys = mixedKeys(maxEntries + 1);
    last.setCurrentNamespace('w0');
    for (const [i, key] of keys.entries()) {
      backend.setCurrentKey(key);
      last.update(i);
    }
    expect(backend.needsFlush).toBe(true);

    expect(backend.flushBehind()).toBeUndefined();
    expect(write).toHaveBeenCalledTimes(1);
    // Down to 90% of the limit: 65 - 57 entries, the first ones written.
    const excess = keys.length - Math.floor(maxEntries * 0.9);
    expect(write.mock.calls[0]?.[0]).toHaveLength(excess);
    await backend.flush();
    expect(write).toHaveBeenCalledTimes(2);
    expect(backend.needsFlush).toBe(false);
    expect(await storedNames(backend)).toEqual(
      keys
        .map((key) => `w0|${JSON.stringify(key)}`)
        .sort(),
    );

    // Every value is still there: the evicted ones come back from the database.
    const getSync = vi.spyOn(db, 'getSync');
    for (const [i, key] of keys.entries()) {
      backend.setCurrentKey(key);
      expect(last.value()).toBe(i);
    }
    expect(getSync.mock.calls.length).toBeGreaterThan(0);
    expect(getSync.mock.calls.length).toBeLessThanOrEqual(keys.length - Math.floor(maxEntries * 0.9) + 1);
  });

  it('writes every dirty entry when the dirty threshold, not a limit, asks for a flush', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db, { cache: { maxEntries: 1000, dirtyThreshold: 10 } });
    const last = backend.getInternalValueState(LAST);
    const write = vi.spyOn(db, 'write');
    const keys = mixedKeys(10);
    writeIndexes(backend, last, keys);
    expect(backend.needsFlush).toBe(true);
    expect(backend.flushBehind()).toBeUndefined();
    expect(write.mock.calls[0]?.[0]).toHaveLength(10);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(10);
  });
});

describe('write-back cache: deletes of what the database holds', () => {
  it('forgets the entries once their deletes are written, so that a cleared window leaves no room taken', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db, { cache: { maxEntries: 1000, dirtyThreshold: 1000 } });
    const last = backend.getInternalValueState(LAST);
    const keys = mixedKeys(100);
    last.setCurrentNamespace('w0');
    keys.forEach((key, i) => {
      backend.setCurrentKey(key);
      last.update(i);
    });
    await backend.flush();
    expect(backend.stats()).toMatchObject({ storedEntries: 100, cachedEntries: 100 });

    // The window fires: its entries are deleted, and the deletes written.
    for (const key of keys) {
      backend.setCurrentKey(key);
      last.clear();
    }
    await backend.flush();
    expect(backend.stats()).toMatchObject({ storedEntries: 0, cachedEntries: 0 });
    expect(await storedKeys(backend)).toEqual([]);

    // A later read still finds the keys absent, without the database: it holds nothing of w0.
    const getSync = vi.spyOn(db, 'getSync');
    for (const key of keys) {
      backend.setCurrentKey(key);
      expect(last.value()).toBeUndefined();
    }
    expect(getSync).not.toHaveBeenCalled();
  });

  it('keeps a deleted entry written again while its delete was being written', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db, { cache: { maxEntries: 1000, dirtyThreshold: 1000 } });
    const last = backend.getInternalValueState(LAST);
    last.setCurrentNamespace('w0');
    backend.setCurrentKey('k');
    last.update(1);
    await backend.flush();
    last.clear();
    const flushing = backend.flush();
    last.update(2);
    await flushing;
    expect(last.value()).toBe(2);
    await backend.flush();
    expect(await storedNames(backend)).toEqual(['w0|"k"']);
  });
});

describe('write-back cache: misses in namespaces the database holds nothing of', () => {
  /** Reads a state's value for each key; the state's namespace must be set. */
  function readAll(backend: LevelDbKeyedStateBackend, read: () => number | undefined, keys: readonly KeyValue[]): (number | undefined)[] {
    return keys.map((key) => {
      backend.setCurrentKey(key);
      return read();
    });
  }

  it('does not read after open(), even where an earlier run of the operator wrote', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db);
    const last = backend.getInternalValueState(LAST);
    const average = backend.getInternalAggregatingState(STATES.aggregating);
    const keys = mixedKeys(20);
    writeIndexes(backend, last, keys);
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(keys.length);

    await backend.open();
    const getSync = vi.spyOn(db, 'getSync');
    expect(readAll(backend, () => last.value(), keys)).toEqual(keys.map(() => undefined));
    last.setCurrentNamespace('fresh');
    average.setCurrentNamespace('fresh');
    expect(readAll(backend, () => last.value(), keys)).toEqual(keys.map(() => undefined));
    // Blind writes and read-modify-writes of new entries do not probe either.
    for (const [i, key] of keys.entries()) {
      backend.setCurrentKey(key);
      average.add(i);
      last.setCurrentNamespace(`w${i}`);
      last.update(i);
      last.clear();
    }
    expect(getSync).not.toHaveBeenCalled();
  });

  it('reads a namespace while it holds entries, and no more once its last entry was deleted', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db, { cache: { maxEntries: 8 } });
    const last = backend.getInternalValueState(LAST);
    const other = backend.getInternalValueState(STATES.value);
    const keys = Array.from({ length: 20 }, (_, i) => i);
    last.setCurrentNamespace('a');
    for (const key of keys) {
      backend.setCurrentKey(key);
      last.update(key * 10);
    }
    await backend.flush();
    const cached = backend.stats().cachedEntries;
    expect(cached).toBeLessThan(keys.length);
    expect(backend.stats().storedEntries).toBe(keys.length);

    const getSync = vi.spyOn(db, 'getSync');
    // Each evicted entry of `a` is read back, with its value.
    expect(readAll(backend, () => last.value(), keys)).toEqual(keys.map((key) => key * 10));
    expect(getSync).toHaveBeenCalledTimes(keys.length - cached);
    getSync.mockClear();
    // Nothing was written in `b`, nor in `a` of another state.
    last.setCurrentNamespace('b');
    expect(readAll(backend, () => last.value(), keys)).toEqual(keys.map(() => undefined));
    other.setCurrentNamespace('a');
    expect(readAll(backend, () => other.value(), keys)).toEqual(keys.map(() => undefined));
    expect(getSync).not.toHaveBeenCalled();

    // All but one entry of `a` deleted: a miss in `a` still reads.
    last.setCurrentNamespace('a');
    for (const key of keys.slice(1)) {
      backend.setCurrentKey(key);
      last.clear();
    }
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(1);
    getSync.mockClear();
    backend.setCurrentKey(100);
    expect(last.value()).toBeUndefined();
    expect(getSync).toHaveBeenCalledTimes(1);

    // The last one deleted too: `a` needs no read any more.
    backend.setCurrentKey(0);
    last.clear();
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(0);
    getSync.mockClear();
    expect(readAll(backend, () => last.value(), [101, 102, 103])).toEqual([undefined, undefined, undefined]);
    expect(getSync).not.toHaveBeenCalled();
  });

  it('after restore(), reads exactly the namespaces the restored data holds', async () => {
    const root = states.root();
    const source = await states.open();
    const value = source.backend.getInternalValueState(STATES.value);
    const average = source.backend.getInternalAggregatingState(STATES.aggregating);
    const keys = mixedKeys(10);
    keys.forEach((key, i) => {
      source.backend.setCurrentKey(key);
      value.setCurrentNamespace('a');
      value.update(i);
      if (i < 5) {
        value.setCurrentNamespace('b');
        value.update(-i - 1);
        average.setCurrentNamespace('c');
        average.add(i);
      }
    });
    const full = await snapshotInto(source.backend, root, 1);
    // The delta deletes all of `b` and changes one value of `a`.
    value.setCurrentNamespace('b');
    for (const key of keys.slice(0, 5)) {
      source.backend.setCurrentKey(key);
      value.clear();
    }
    value.setCurrentNamespace('a');
    source.backend.setCurrentKey(keys[0] ?? 'missing');
    value.update(1000);
    const delta = await snapshotInto(source.backend, root, 2);
    expect(delta.files.map((file) => file.kind)).toEqual(['FULL', 'DELTA']);

    const check = async (handle: typeof full, expectB: boolean): Promise<void> => {
      const target = await states.open();
      await restoreFrom(target, root, [handle]);
      const { backend } = target;
      const restoredValue = backend.getInternalValueState(STATES.value);
      const restoredAverage = backend.getInternalAggregatingState(STATES.aggregating);
      const getSync = vi.spyOn(backend.db, 'getSync');

      restoredValue.setCurrentNamespace('a');
      expect(readAll(backend, () => restoredValue.value(), keys)).toEqual(keys.map((_, i) => (i === 0 && !expectB ? 1000 : i)));
      expect(getSync).toHaveBeenCalledTimes(keys.length);
      getSync.mockClear();
      restoredAverage.setCurrentNamespace('c');
      expect(readAll(backend, () => restoredAverage.get(), keys.slice(0, 5))).toEqual([0, 1, 2, 3, 4]);
      expect(getSync).toHaveBeenCalledTimes(5);
      getSync.mockClear();
      restoredValue.setCurrentNamespace('b');
      expect(readAll(backend, () => restoredValue.value(), keys.slice(0, 5))).toEqual(
        expectB ? [-1, -2, -3, -4, -5] : [undefined, undefined, undefined, undefined, undefined],
      );
      expect(getSync).toHaveBeenCalledTimes(expectB ? 5 : 0);
      getSync.mockClear();
      // Namespaces the restored data lacks, or holds only for another state.
      restoredValue.setCurrentNamespace('c');
      restoredAverage.setCurrentNamespace('a');
      expect(readAll(backend, () => restoredValue.value(), keys)).toEqual(keys.map(() => undefined));
      expect(readAll(backend, () => restoredAverage.get(), keys)).toEqual(keys.map(() => undefined));
      restoredValue.setCurrentNamespace('z');
      expect(readAll(backend, () => restoredValue.value(), keys)).toEqual(keys.map(() => undefined));
      expect(getSync).not.toHaveBeenCalled();
    };
    await check(full, true);
    await check(delta, false);
  });

  /** A backend opened on a fresh database that wrote 12 keys into namespace `a` and was closed. */
  const writtenAndClosed = async (): Promise<{ db: StateDb; backend: LevelDbKeyedStateBackend; keys: KeyValue[] }> => {
    const db = await dbs.open();
    const backend = await openBackend(db);
    const keys = mixedKeys(12);
    writeIndexes(backend, backend.getInternalValueState(LAST), keys);
    await backend.close();
    return { db, backend, keys };
  };

  it('reads on every miss when constructed over a database without open() or restore()', async () => {
    const { db, keys } = await writtenAndClosed();

    const reader = new LevelDbKeyedStateBackend({ db, operatorId: OPERATOR, maxParallelism: MAX_PARALLELISM, keyGroupRange: ALL_KEY_GROUPS });
    const last = reader.getInternalValueState(LAST);
    const getSync = vi.spyOn(db, 'getSync');
    last.setCurrentNamespace('a');
    expect(readAll(reader, () => last.value(), keys)).toEqual(keys.map((_, i) => i));
    expect(getSync).toHaveBeenCalledTimes(keys.length);
    last.setCurrentNamespace('never-written');
    expect(readAll(reader, () => last.value(), keys)).toEqual(keys.map(() => undefined));
    expect(getSync).toHaveBeenCalledTimes(2 * keys.length);
  });

  it('keeps what it knows of the database across close()', async () => {
    const { db, backend, keys } = await writtenAndClosed();
    const last = backend.getInternalValueState(LAST);
    last.setCurrentNamespace('a');
    expect(backend.stats()).toMatchObject({ cachedEntries: 0, storedEntries: keys.length });

    const getSync = vi.spyOn(db, 'getSync');
    expect(readAll(backend, () => last.value(), keys)).toEqual(keys.map((_, i) => i));
    expect(getSync).toHaveBeenCalledTimes(keys.length);
    getSync.mockClear();
    last.setCurrentNamespace('b');
    expect(readAll(backend, () => last.value(), keys)).toEqual(keys.map(() => undefined));
    expect(getSync).not.toHaveBeenCalled();
  });
});
