/** The flush queue's lists of dirty and void entries, linked through the entries. */
import { describe, expect, it } from 'vitest';
import { OwedList } from '../../../../taskmanager/state/cache/owed-list.ts';
import { entryOf, plainState } from './entries.ts';

const STATE = plainState(1);

describe('owed list', () => {
  it('keeps entries oldest first and counts them as they come and go', () => {
    const list = new OwedList();
    const [a, b, c] = ['a', 'b', 'c'].map((k) => entryOf(STATE, k));
    list.add(a!);
    list.add(b!);
    list.add(c!);
    list.delete(b!);
    expect([list.size, list.toArray()]).toEqual([2, [a, c]]);
    list.delete(a!);
    list.delete(c!);
    expect([list.size, list.toArray()]).toEqual([0, []]);
    list.add(b!);
    expect(list.toArray()).toEqual([b]);
  });

  it('ignores the delete of an entry that is in no list', () => {
    const list = new OwedList();
    const [a, b] = ['a', 'b'].map((k) => entryOf(STATE, k));
    list.add(a!);
    list.delete(b!);
    expect([list.size, list.toArray()]).toEqual([1, [a]]);
    list.delete(a!);
    list.delete(a!);
    expect([list.size, list.toArray()]).toEqual([0, []]);
  });

  it('drains every entry, leaving them free to join a list again', () => {
    const list = new OwedList();
    const [a, b] = ['a', 'b'].map((k) => entryOf(STATE, k));
    list.add(a!);
    list.add(b!);
    expect(list.drain()).toEqual([a, b]);
    expect(list.size).toBe(0);
    list.delete(a!);
    list.add(b!);
    expect([list.size, list.toArray()]).toEqual([1, [b]]);
  });
});
