/** The cache's index: state → namespace slot → key id, with the last slot of each state remembered. */
import { describe, expect, it } from 'vitest';
import { EntryIndex } from '../../../../taskmanager/state/cache/entry-index.ts';
import { entryOf, plainState } from './entries.ts';

const A = plainState(1);
const B = plainState(2);

describe('entry index', () => {
  it('keeps states and slots apart and hands out the same map for a slot', () => {
    const index = new EntryIndex();
    const a = entryOf(A, 'k', 'w1');
    index.byKey(1, 'w1').set('k', a);
    expect(index.byKey(1, 'w1').get('k')).toBe(a);
    expect(index.byKey(1, 'w2').get('k')).toBeUndefined();
    expect(index.byKey(2, 'w1').get('k')).toBeUndefined();
    // Back to the first slot after another: the remembered slot changed, the map did not.
    expect(index.byKey(1, 'w1').get('k')).toBe(a);
  });

  it('deletes only the very entry it holds, and lets an emptied slot go', () => {
    const index = new EntryIndex();
    const a = entryOf(A, 'k', 'w1');
    const stale = entryOf(A, 'k', 'w1');
    const slot = index.byKey(1, 'w1');
    slot.set('k', a);
    expect(index.delete(stale)).toBe(false);
    expect(index.byKey(1, 'w1').get('k')).toBe(a);
    expect(index.delete(a)).toBe(true);
    expect(index.delete(a)).toBe(false);
    // The emptied slot's map is gone: the remembered slot must not hand it out again.
    const fresh = index.byKey(1, 'w1');
    expect(fresh).not.toBe(slot);
    const b = entryOf(A, 'k', 'w1');
    fresh.set('k', b);
    expect(index.byKey(1, 'w1').get('k')).toBe(b);
    expect(index.delete(b)).toBe(true);
  });

  it('drops whole states, and everything on clear', () => {
    const index = new EntryIndex();
    index.byKey(1, 'w').set('k', entryOf(A, 'k', 'w'));
    index.byKey(2, 'w').set('k', entryOf(B, 'k', 'w'));
    index.dropStates([1]);
    expect(index.byKey(1, 'w').get('k')).toBeUndefined();
    expect(index.byKey(2, 'w').get('k')).toBeDefined();
    index.clear();
    expect(index.byKey(2, 'w').get('k')).toBeUndefined();
  });
});
