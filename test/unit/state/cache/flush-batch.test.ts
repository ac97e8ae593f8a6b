/** One flush: the batch it writes, how its entries settle, and how a failed write rolls them back. */
import { describe, expect, it } from 'vitest';
import { flushBatch } from '../../../../taskmanager/state/cache/flush-batch.ts';
import { entryOf, plainState } from './entries.ts';
import { wireRoles } from './roles.ts';

const STATE = plainState(1);

describe('flush batch', () => {
  it('writes puts and deletes of what the database holds, forgets void deletes and written deletes', async () => {
    const roles = wireRoles();
    const [kept, deleted, nothing] = ['kept', 'deleted', 'nothing'].map((k) => entryOf(STATE, k));
    for (const e of [kept!, deleted!, nothing!]) roles.add(e);
    roles.write(kept!, 1);
    roles.write(deleted!, 2);
    await flushBatch(roles, roles.queue.takeAll(), true);
    expect(roles.db.contents().size).toBe(2);
    expect(roles.stored.storedEntries).toBe(2);
    roles.write(deleted!, undefined);
    roles.write(nothing!, 3);
    roles.write(nothing!, undefined);
    expect([deleted!.status, nothing!.status]).toEqual(['dirty', 'void']);
    await flushBatch(roles, roles.queue.takeAll(), true);
    expect(roles.db.landed.map((ops) => ops.map((op) => op.type))).toEqual([['put', 'put'], ['del']]);
    expect([kept!.status, deleted!.status, nothing!.status]).toEqual(['clean', 'evicted', 'evicted']);
    expect([roles.db.contents().size, roles.stored.storedEntries, roles.eviction.size]).toEqual([1, 1, 1]);
    expect(roles.queue.idle).toBe(true);
  });

  it('marks entries flushing while the batch is in flight; one written meanwhile stays dirty', async () => {
    const roles = wireRoles();
    const [a, b] = ['a', 'b'].map((k) => entryOf(STATE, k));
    roles.add(a!);
    roles.add(b!);
    roles.write(a!, 1);
    roles.write(b!, 1);
    roles.db.holdWrites = true;
    const flushing = flushBatch(roles, roles.queue.takeAll(), true);
    expect([a!.status, b!.status, a!.stored]).toEqual(['flushing', 'flushing', true]);
    roles.write(b!, 2);
    roles.db.release();
    await flushing;
    expect([a!.status, b!.status, roles.queue.owed]).toEqual(['clean', 'dirty', 1]);
  });

  it('rolls a failed batch back: stored-ness, counts and namespaces as before, every entry owing its write again', async () => {
    const roles = wireRoles();
    const [old, fresh] = ['old', 'fresh'].map((k) => entryOf(STATE, k, 'w'));
    roles.add(old!);
    roles.add(fresh!);
    roles.write(old!, 1);
    await flushBatch(roles, roles.queue.takeAll(), true);
    roles.write(old!, undefined);
    roles.write(fresh!, 2);
    roles.db.failNext();
    await expect(flushBatch(roles, roles.queue.takeAll(), true)).rejects.toThrow('injected failure of a batch of 2 writes');
    expect([old!.stored, fresh!.stored, roles.stored.storedEntries, roles.stored.mayHold(STATE.id, 'w')]).toEqual([true, false, 1, true]);
    expect([old!.status, fresh!.status, roles.queue.owed]).toEqual(['dirty', 'dirty', 2]);
    await flushBatch(roles, roles.queue.takeAll(), true);
    expect([roles.db.contents().size, roles.stored.storedEntries, old!.status]).toEqual([1, 1, 'evicted']);
  });

  it('records what it writes, so that written entries can be evicted right after', async () => {
    const roles = wireRoles(4);
    const entries = Array.from({ length: 6 }, (_, i) => entryOf(STATE, `k${i}`));
    for (const e of entries) {
      roles.add(e);
      roles.write(e, 1);
    }
    // A room batch: only the dirty entries eviction needs, oldest first.
    const room = roles.members.roomBatch();
    expect(room.map((e) => e.key)).toEqual(['k0', 'k1', 'k2']);
    await flushBatch(roles, room, false);
    expect(roles.eviction.size).toBe(3);
    expect([...roles.eviction.entries()].map((e) => e.key)).toEqual(['k3', 'k4', 'k5']);
    expect(roles.recorder.hasChanges).toBe(true);
    expect(roles.recorder.recordAll().map((e) => e.key)).toEqual(['k3', 'k4', 'k5']);
  });
});
