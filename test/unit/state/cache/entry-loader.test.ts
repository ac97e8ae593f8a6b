/** The entry of a miss: read and decoded, or probed for existence, and no read where the database holds nothing. */
import { describe, expect, it } from 'vitest';
import { EntryLoader } from '../../../../taskmanager/state/cache/entry-loader.ts';
import { StoredView } from '../../../../taskmanager/state/cache/stored-view.ts';
import { StateKeyEncoder } from '../../../../taskmanager/state/state-key-layout.ts';
import { encodeStateValue } from '../../../../taskmanager/state/state-value-codec.ts';
import { StoredNamespaces } from '../../../../taskmanager/state/stored-namespaces.ts';
import { FakeStateDb } from '../../../support/fakes/fake-state-db.ts';
import { entryOf } from './entries.ts';

/** A state whose stored form is the array of a Set's elements. */
const SET_STATE = { id: 4, withTtl: true, toPlain: (v: unknown) => [...(v as Set<number>)], fromPlain: (p: unknown) => new Set(p as number[]) };

/** A database holding `[1, 2]` at stamp 99 for key `k` in namespace `w`. */
async function seeded(): Promise<FakeStateDb> {
  const db = new FakeStateDb();
  const key = new StateKeyEncoder().encodeCopy(0, SET_STATE.id, 'k', 'w', undefined);
  await db.write([{ type: 'put', key, value: encodeStateValue([1, 2], true, 99) }]);
  return db;
}

describe('entry loader', () => {
  it('reads and decodes a stored value, and leaves a miss absent', async () => {
    const db = await seeded();
    const loader = new EntryLoader(db, new StoredView(), new StateKeyEncoder());
    const hit = loader.read(SET_STATE, 0, 'k', 'k', 'w', undefined, 'w');
    expect([hit.value, hit.stamp, hit.stored, hit.snapshot, hit.size > 0]).toEqual([new Set([1, 2]), 99, true, 'held', true]);
    const miss = loader.read(SET_STATE, 0, 'other', 'other', 'w', undefined, 'w');
    expect([miss.value, miss.stored, miss.snapshot, miss.size]).toEqual([undefined, false, 'absent', 0]);
    expect(db.reads).toBe(2);
  });

  it('probes for existence only, or takes what the caller knows', async () => {
    const db = await seeded();
    const loader = new EntryLoader(db, new StoredView(), new StateKeyEncoder());
    const probed = loader.probe(SET_STATE, 0, 'k', 'k', 'w', undefined, 'w', undefined);
    expect([probed.value, probed.stored, probed.snapshot]).toEqual([undefined, true, 'held']);
    const known = loader.probe(SET_STATE, 0, 'x', 'x', 'w', undefined, 'w', true);
    expect([known.stored, known.snapshot, db.reads]).toEqual([true, 'held', 1]);
  });

  it('reads nothing where the stored view knows the database holds nothing', async () => {
    const db = await seeded();
    const stored = new StoredView();
    stored.reset(1, new StoredNamespaces());
    const loader = new EntryLoader(db, stored, new StateKeyEncoder());
    expect(loader.read(SET_STATE, 0, 'k', 'k', 'w', undefined, 'w').value).toBeUndefined();
    stored.setStored(entryOf(SET_STATE, 'k', 'w'), true);
    expect(loader.read(SET_STATE, 0, 'k', 'k', 'w', undefined, 'w').value).toEqual(new Set([1, 2]));
    expect(db.reads).toBe(1);
  });
});
