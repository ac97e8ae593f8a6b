/**
 * What the write-back cache spares LevelDB at a delta snapshot: it takes the changes the cache
 * recorded and writes nothing to the database, while the delta chain restores the changed state;
 * whether the backend was opened empty (it records changes from the start) or restored (it records
 * them from its first snapshot on). Database calls are counted with spies.
 */
import { describe, expect, it, vi } from 'vitest';
import { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import type { StateDb } from '../../../taskmanager/state/state-db.ts';
import { OPERATOR, restoreFrom, snapshotInto, STATES, storedKeys, useKeyedStates } from '../checkpoint/fixtures.ts';
import { ALL_KEY_GROUPS } from './fixtures.ts';

const states = useKeyedStates();

/** Every (key, value) the operator's states hold in the database, hex-encoded, in key order. */
async function dbContents(db: StateDb): Promise<string[]> {
  const rows: string[] = [];
  for await (const batch of db.scanEntries(db.stateIdsOf(OPERATOR), ALL_KEY_GROUPS)) {
    for (const [key, value] of batch) rows.push(`${Buffer.from(key).toString('hex')}=${Buffer.from(value).toString('hex')}`);
  }
  return rows;
}

describe('write-back cache: delta snapshots', () => {
  /** Writes every key's value, and an average for the even keys: 300 entries. */
  function populate(backend: LevelDbKeyedStateBackend, keys: readonly number[]): void {
    for (const key of keys) {
      backend.setCurrentKey(key);
      backend.getState(STATES.value).update(key);
      if (key % 2 === 0) backend.getAggregatingState(STATES.aggregating).add(key);
    }
  }

  // Opened empty, the backend records changes from the start; restored, from its first snapshot on.
  it.each(['opened empty', 'restored'])('writes nothing to the database; the delta chain restores the changes (%s)', async (start) => {
    const root = states.root();
    const keys = Array.from({ length: 200 }, (_, i) => i);
    const live = await states.open();
    const { backend } = live;
    if (start === 'restored') {
      const seedRoot = states.root();
      const seed = await states.open();
      populate(seed.backend, keys);
      await restoreFrom(live, seedRoot, [await snapshotInto(seed.backend, seedRoot, 1)]);
    } else {
      populate(backend, keys);
      await backend.flush();
    }
    const value = backend.getState(STATES.value);
    const average = backend.getAggregatingState(STATES.aggregating);
    const first = await snapshotInto(backend, root, 1);
    expect(first.files.map((file) => file.kind)).toEqual(['FULL']);
    const contentsBefore = await dbContents(backend.db);
    const storedBefore = backend.stats().storedEntries;
    expect(storedBefore).toBe(300);
    expect(contentsBefore).toHaveLength(storedBefore);

    // Updates, deletes, new keys, and a new key deleted again.
    const expected = new Map<number, { value: number | undefined; average: number | undefined }>();
    for (const key of keys) expected.set(key, { value: key, average: key % 2 === 0 ? key : undefined });
    for (const key of keys) {
      backend.setCurrentKey(key);
      if (key % 10 === 0) {
        value.update(-key - 1);
        average.add(key + 10);
        expected.set(key, { value: -key - 1, average: key + 5 });
      } else if (key % 10 === 5) {
        value.clear();
        expected.set(key, { value: undefined, average: undefined });
      } else if (key % 10 === 6) {
        average.clear();
        expected.set(key, { value: key, average: undefined });
      }
    }
    for (let key = 1000; key < 1020; key++) {
      backend.setCurrentKey(key);
      value.update(key);
      expected.set(key, { value: key, average: undefined });
    }
    backend.setCurrentKey(2000);
    value.update(1);
    value.clear();
    expected.set(2000, { value: undefined, average: undefined });

    const write = vi.spyOn(backend.db, 'write');
    const upload = await backend.snapshot({ checkpointId: 2, root, dir: 'shared', full: false });
    const second = await upload();
    expect(second.files[0]).toEqual(first.files[0]);
    expect(second.files.map((file) => file.kind)).toEqual(['FULL', 'DELTA']);
    expect(write).not.toHaveBeenCalled();
    expect(await dbContents(backend.db)).toEqual(contentsBefore);
    expect(backend.stats().storedEntries).toBe(storedBefore);

    const read = (b: LevelDbKeyedStateBackend, key: number): { value: number | undefined; average: number | undefined } => {
      b.setCurrentKey(key);
      return { value: b.getState(STATES.value).value(), average: b.getAggregatingState(STATES.aggregating).get() };
    };
    const allKeys = [...expected.keys()];
    const want = allKeys.map((key) => expected.get(key));
    expect(allKeys.map((key) => read(backend, key))).toEqual(want);
    const restored = await states.open();
    await restoreFrom(restored, root, [second]);
    expect(allKeys.map((key) => read(restored.backend, key))).toEqual(want);
    const present = want.reduce((n, e) => n + (e?.value !== undefined ? 1 : 0) + (e?.average !== undefined ? 1 : 0), 0);
    expect(restored.backend.stats().storedEntries).toBe(present);
    expect(await storedKeys(restored.backend)).toHaveLength(present);

    // The changes were kept for a later flush, which brings the database up to date.
    await backend.flush();
    expect(backend.stats().storedEntries).toBe(present);
    expect(await dbContents(backend.db)).toHaveLength(present);
  });
});
