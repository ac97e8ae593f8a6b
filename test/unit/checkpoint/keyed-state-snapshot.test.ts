import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ValueState } from '../../../client/api/state.ts';
import type { KeyedStateHandle } from '../../../common/checkpoint/checkpoint-types.ts';
import type { KeyValue } from '../../../common/key-groups.ts';
import type { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { mixedKeys } from '../state/fixtures.ts';
import { dumpState, fireAll, OPERATOR, restoreFrom, snapshotInto, STATES, storedKeys, useKeyedStates, writeKey } from './fixtures.ts';

const states = useKeyedStates();

/** Updates every 200th key and deletes every 200th other one: 1% of the keys. */
function changeOnePercent(backend: LevelDbKeyedStateBackend, keys: readonly KeyValue[], round: number): void {
  keys.forEach((key, i) => {
    if (i % 200 === round) writeKey(backend, key, i * 1000 + round);
    else if (i % 200 === 100 + round) {
      backend.setCurrentKey(key);
      for (const clear of [
        () => backend.getState(STATES.value).clear(),
        () => backend.getListState(STATES.list).clear(),
        () => backend.getMapState(STATES.map).clear(),
        () => backend.getAggregatingState(STATES.aggregating).clear(),
      ]) clear();
    }
  });
}

describe('keyed-state snapshots', () => {
  it('restores a full snapshot into another database with other state ids: states and timers', async () => {
    const root = states.root();
    const source = await states.open();
    const keys = mixedKeys(400);
    keys.forEach((key, i) => {
      writeKey(source.backend, key, i);
      if (i % 3 === 0) source.timers.registerEventTimeTimer(`w${i % 2}`, 1000 + i);
      if (i % 5 === 0) source.timers.registerProcessingTimeTimer('', 5000 - i);
    });
    const handle = await snapshotInto(source.backend, root, 1);
    const [file] = handle.files;
    expect(handle.files).toHaveLength(1);
    expect(file).toMatchObject({ kind: 'FULL', checkpointId: 1 });
    expect(file?.path.startsWith('shared/')).toBe(true);
    expect(file?.bytes).toBe(statSync(join(root, file?.path ?? '')).size);
    expect(handle.keyGroupRange).toEqual({ start: 0, end: 127 });

    const target = await states.open({ preregister: [{ operatorId: 'other', name: 'x' }, { operatorId: OPERATOR, name: 'unused' }] });
    // The target registers the states in another order, too.
    target.backend.getAggregatingState(STATES.aggregating);
    target.backend.getMapState(STATES.map);
    await restoreFrom(target, root, [handle]);
    expect(target.backend.db.stateId(OPERATOR, 'count')).not.toBe(source.backend.db.stateId(OPERATOR, 'count'));

    expect(dumpState(target.backend, keys)).toEqual(dumpState(source.backend, keys));
    expect(target.timers.size).toEqual(source.timers.size);
    // The source wrote its first snapshot from the changes its cache recorded, not from its database.
    expect(target.backend.stats().storedEntries).toBe((await storedKeys(target.backend)).length);
    expect(target.backend.stats().storedEntries).toBe(400 * 4 + 134 + 80);
    const fired = fireAll(target);
    expect(fired).toHaveLength(134 + 80);
    expect(fired).toEqual(fireAll(source));
  });

  it('writes deltas of the changed keys and restores a chain of them', async () => {
    const root = states.root();
    const live = await states.open();
    const state = live.backend.getState(STATES.value);
    const keys = Array.from({ length: 10_000 }, (_, i) => i);
    for (const key of keys) {
      live.backend.setCurrentKey(key);
      state.update(key);
    }
    const first = await snapshotInto(live.backend, root, 1);

    const change = (round: number): void => {
      keys.forEach((key, i) => {
        live.backend.setCurrentKey(key);
        if (i % 200 === round) state.update(-key - round);
        else if (i % 200 === 100 + round) state.clear();
      });
    };
    const check = async (handle: KeyedStateHandle): Promise<void> => {
      const restored = await states.open({ preregister: [{ operatorId: 'x', name: 'y' }] });
      await restoreFrom(restored, root, [handle]);
      const value = restored.backend.getState(STATES.value);
      const read = (backend: LevelDbKeyedStateBackend, handle: ValueState<number>): (number | undefined)[] =>
        keys.map((key) => {
          backend.setCurrentKey(key);
          return handle.value();
        });
      const expected = read(live.backend, state);
      expect(read(restored.backend, value)).toEqual(expected);
      // The live database may lag (a delta writes nothing to it); the restored one holds exactly the present keys.
      expect((await storedKeys(restored.backend)).length).toBe(expected.filter((v) => v !== undefined).length);
    };

    change(1);
    const second = await snapshotInto(live.backend, root, 2);
    const full = first.files[0];
    const delta = second.files[1];
    expect(second.files).toHaveLength(2);
    expect(second.files[0]).toEqual(full);
    expect(delta).toMatchObject({ kind: 'DELTA', checkpointId: 2 });
    expect(delta?.bytes ?? Infinity).toBeLessThan((full?.bytes ?? 0) / 20);
    await check(second);

    change(2);
    const third = await snapshotInto(live.backend, root, 3);
    expect(third.files.map((f) => f.kind)).toEqual(['FULL', 'DELTA', 'DELTA']);
    await check(third);
  });

  it('deltas cover every kind of state, timers included', async () => {
    const root = states.root();
    const live = await states.open();
    const keys = mixedKeys(400);
    keys.forEach((key, i) => {
      writeKey(live.backend, key, i);
      live.timers.registerEventTimeTimer('', i);
    });
    await snapshotInto(live.backend, root, 1);
    changeOnePercent(live.backend, keys, 3);
    live.timers.advanceWatermark(99, () => undefined);
    live.backend.setCurrentKey(keys[0] ?? 0);
    live.timers.registerProcessingTimeTimer('late', 7);
    const handle = await snapshotInto(live.backend, root, 2);
    expect(handle.files.map((f) => f.kind)).toEqual(['FULL', 'DELTA']);

    const restored = await states.open();
    await restoreFrom(restored, root, [handle]);
    expect(dumpState(restored.backend, keys)).toEqual(dumpState(live.backend, keys));
    expect(restored.timers.size).toEqual({ eventTime: 300, processingTime: 1 });
    expect(fireAll(restored)).toEqual(fireAll(live));
  });

  it('uploads from the snapshot: writes after the synchronous phase are not in the file', async () => {
    const root = states.root();
    const live = await states.open({ cacheEntries: 50 });
    const keys = mixedKeys(300);
    keys.forEach((key, i) => writeKey(live.backend, key, i));

    const snapshotAndMutate = async (checkpointId: number, salt: number): Promise<{ upload: () => Promise<KeyedStateHandle>; expected: Map<string, unknown> }> => {
      const upload = await live.backend.snapshot({ checkpointId, root, dir: 'shared', full: false });
      const expected = dumpState(live.backend, keys);
      keys.forEach((key, i) => {
        if (i % 3 === 0) writeKey(live.backend, key, salt + i);
        if (i % 7 === 0) {
          live.backend.setCurrentKey(key);
          live.backend.getState(STATES.value).clear();
        }
      });
      writeKey(live.backend, `new-${salt}`, salt);
      await live.backend.flush();
      return { upload, expected };
    };

    for (const [checkpointId, kind] of [
      [1, 'FULL'],
      [2, 'DELTA'],
    ] as const) {
      const { upload, expected } = await snapshotAndMutate(checkpointId, checkpointId * 10_000);
      const handle = await upload();
      expect(handle.files.at(-1)?.kind).toBe(kind);
      const restored = await states.open();
      await restoreFrom(restored, root, [handle]);
      const allKeys = [...keys, `new-${checkpointId * 10_000}`];
      expect(dumpState(restored.backend, allKeys)).toEqual(expected);
    }
  });

  it('snapshots state that lives on disk beyond a small cache', async () => {
    const root = states.root();
    const live = await states.open({ cacheEntries: 10 });
    const keys = mixedKeys(1000);
    for (const [i, key] of keys.entries()) {
      writeKey(live.backend, key, i);
      if (live.backend.needsFlush) await live.backend.flush();
    }
    await snapshotInto(live.backend, root, 1);
    changeOnePercent(live.backend, keys, 5);
    await live.backend.flush();
    const handle = await snapshotInto(live.backend, root, 2);
    expect(live.backend.stats().cachedEntries).toBeLessThan(100);

    const restored = await states.open({ cacheEntries: 10 });
    await restoreFrom(restored, root, [handle]);
    const expected = dumpState(live.backend, keys);
    expect(expected.size).toBe(1000 - 5);
    expect(dumpState(restored.backend, keys)).toEqual(expected);
  });

  it('is full after open or restore, when asked, and in another location; deltas need a base', async () => {
    const root = states.root();
    const savepoint = states.root();
    const live = await states.open();
    writeKey(live.backend, 'a', 1);
    const kinds = async (checkpointId: number, options: { full?: boolean; root?: string; dir?: string; savepoint?: boolean } = {}): Promise<string[]> =>
      (await snapshotInto(live.backend, options.root ?? root, checkpointId, options)).files.map((f) => f.kind);

    expect(await kinds(1)).toEqual(['FULL']);
    expect(await kinds(2)).toEqual(['FULL', 'DELTA']);
    expect(await kinds(3, { full: true })).toEqual(['FULL']);
    // A savepoint is a full copy in its own root, and does not become the base of checkpoints.
    expect(await kinds(4, { full: true, root: savepoint, dir: 'state', savepoint: true })).toEqual(['FULL']);
    expect(await kinds(5)).toEqual(['FULL', 'DELTA']);
    live.backend.notifyCheckpointAborted(5);
    expect(await kinds(6)).toEqual(['FULL']);
    const handle = await snapshotInto(live.backend, root, 7);
    await live.backend.open();
    await live.backend.restore([{ root, handle }]);
    expect(await kinds(8)).toEqual(['FULL']);
    expect(await kinds(9)).toEqual(['FULL', 'DELTA']);
  });

  it('keeps the changes of a failed upload for the next delta, and lets snapshots overlap', async () => {
    const root = states.root();
    const live = await states.open();
    const keys = mixedKeys(100);
    keys.forEach((key, i) => writeKey(live.backend, key, i));
    await snapshotInto(live.backend, root, 1);

    writeKey(live.backend, keys[1] ?? 0, 111);
    // A root below a regular file cannot be created: the upload fails.
    const blocker = join(root, 'blocker');
    writeFileSync(blocker, '');
    const failing = await live.backend.snapshot({ checkpointId: 2, root: blocker, dir: 'shared', full: false });
    await expect(failing()).rejects.toThrow();

    writeKey(live.backend, keys[2] ?? 0, 222);
    const third = await live.backend.snapshot({ checkpointId: 3, root, dir: 'shared', full: false });
    writeKey(live.backend, keys[3] ?? 0, 333);
    // Begins while the third is still to upload: it builds on the first as well.
    const fourth = await live.backend.snapshot({ checkpointId: 4, root, dir: 'shared', full: false });
    const expectedAtFour = dumpState(live.backend, keys);
    writeKey(live.backend, keys[4] ?? 0, 444);
    const fourthHandle = await fourth();
    const thirdHandle = await third();
    expect(thirdHandle.files.map((f) => f.checkpointId)).toEqual([1, 3]);
    expect(fourthHandle.files.map((f) => f.checkpointId)).toEqual([1, 4]);
    await expect(fourth()).rejects.toThrow(/already uploaded/);

    const restored = await states.open();
    await restoreFrom(restored, root, [fourthHandle]);
    expect(dumpState(restored.backend, keys)).toEqual(expectedAtFour);
    // The fourth is the newest base: the next delta builds on it.
    expect((await snapshotInto(live.backend, root, 5)).files.map((f) => f.checkpointId)).toEqual([1, 4, 5]);
  });
});
