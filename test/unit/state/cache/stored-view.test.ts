/** What the cache knows the database holds: the stored-entries count and the namespaces that hold entries. */
import { describe, expect, it } from 'vitest';
import { StoredView } from '../../../../taskmanager/state/cache/stored-view.ts';
import { StoredNamespaces } from '../../../../taskmanager/state/stored-namespaces.ts';
import { entryOf, plainState } from './entries.ts';

const A = plainState(1);
const B = plainState(2);

describe('stored view', () => {
  it('may hold anything until told what the database holds', () => {
    const view = new StoredView();
    expect(view.mayHold(1, 'anything')).toBe(true);
    view.reset(0);
    expect(view.mayHold(1, 'anything')).toBe(false);
  });

  it('counts entries and their namespaces as they are stored and deleted', () => {
    const view = new StoredView();
    view.reset(0, new StoredNamespaces());
    const a1 = entryOf(A, 'k1', 'w');
    const a2 = entryOf(A, 'k2', 'w');
    view.setStored(a1, true);
    view.setStored(a1, true);
    view.setStored(a2, true);
    expect([view.storedEntries, a1.stored, view.mayHold(1, 'w'), view.mayHold(2, 'w'), view.mayHold(1, 'x')]).toEqual([2, true, true, false, false]);
    view.setStored(a1, false);
    expect([view.storedEntries, view.mayHold(1, 'w')]).toEqual([1, true]);
    view.setStored(a2, false);
    expect([view.storedEntries, view.mayHold(1, 'w')]).toEqual([0, false]);
  });

  it('forgets dropped states and takes the count the database reports', () => {
    const view = new StoredView();
    view.reset(5, new StoredNamespaces());
    view.setStored(entryOf(A, 'k', 'w'), true);
    view.setStored(entryOf(B, 'k', 'w'), true);
    view.dropStates([1], 4);
    expect([view.storedEntries, view.mayHold(1, 'w'), view.mayHold(2, 'w')]).toEqual([3, false, true]);
    view.dropStates([2], 10);
    expect(view.storedEntries).toBe(0);
  });
});
