/** Which entries the cache holds, and every way out: sweeping void deletes, forgetting, evicting, dropping, clearing. */
import { describe, expect, it } from 'vitest';
import { entryOf, plainState } from './entries.ts';
import { wireRoles } from './roles.ts';

const A = plainState(1);
const B = plainState(2);

describe('cache members', () => {
  it('sweeps void deletes out, recording the delete of one the snapshots held', () => {
    const roles = wireRoles();
    const live = entryOf(A, 'live');
    const held = entryOf(A, 'held');
    held.snapshot = 'held';
    const fresh = entryOf(A, 'fresh');
    for (const e of [live, held, fresh]) roles.add(e);
    roles.write(live, 1);
    roles.write(held, 2);
    roles.write(held, undefined);
    roles.write(fresh, 3);
    roles.write(fresh, undefined);
    roles.members.sweep();
    expect([live.status, held.status, fresh.status]).toEqual(['dirty', 'evicted', 'evicted']);
    expect(roles.index.byKey(A.id, 'ns').get('held')).toBeUndefined();
    expect([...roles.eviction.entries()]).toEqual([live]);
    expect(roles.recorder.take().size).toBe(1);
  });

  it('forgets recorded deletes neither the database nor the snapshots hold, and nothing owed or stored', () => {
    const roles = wireRoles();
    const gone = entryOf(A, 'gone');
    const owed = entryOf(A, 'owed');
    owed.stored = true;
    for (const e of [gone, owed]) roles.add(e);
    roles.write(gone, undefined);
    roles.write(owed, undefined);
    roles.members.forgetRecordedDeletes([gone, owed]);
    expect([gone.status, owed.status]).toEqual(['evicted', 'dirty']);
  });

  it('evicts only entries that owe nothing and whose changes are recorded', () => {
    const roles = wireRoles(2);
    const [clean, dirty, unrecorded, other] = ['clean', 'dirty', 'unrecorded', 'other'].map((k) => entryOf(A, k));
    for (const e of [clean!, dirty!, unrecorded!, other!]) roles.add(e);
    roles.write(dirty!, 1);
    unrecorded!.stored = true;
    unrecorded!.snapshot = 'changed-held';
    roles.members.evict();
    expect([clean!.status, dirty!.status, unrecorded!.status, other!.status]).toEqual(['evicted', 'dirty', 'clean', 'evicted']);
    expect(roles.eviction.size).toBe(2);
  });

  it('drops the entries of some states, owed ones unwritten, and clears all', () => {
    const roles = wireRoles();
    const a = entryOf(A, 'k');
    const b = entryOf(B, 'k');
    roles.add(a);
    roles.add(b);
    roles.write(a, 1);
    roles.write(b, 1);
    roles.members.dropStates(new Set([A.id]));
    expect([a.status, b.status, roles.queue.owed, roles.eviction.size]).toEqual(['evicted', 'dirty', 1, 1]);
    expect(roles.index.byKey(A.id, 'ns').get('k')).toBeUndefined();
    roles.members.clear();
    expect([b.status, roles.queue.idle, roles.eviction.size]).toEqual(['evicted', true, 0]);
    expect(roles.index.byKey(B.id, 'ns').get('k')).toBeUndefined();
  });
});
