import { describe, expect, it } from 'vitest';
import type { KeyedStateHandle } from '../../../common/checkpoint/checkpoint-types.ts';
import { keyGroupRangeForOperator } from '../../../common/key-groups.ts';
import type { TestKeyedState } from '../../support/test-keyed-state.ts';
import { mixedKeys } from '../state/fixtures.ts';
import { ALL_KEY_GROUPS, dumpState, fireAll, MAX_PARALLELISM, owns, restoreFrom, snapshotInto, storedKeys, useKeyedStates, writeKey } from './fixtures.ts';

const states = useKeyedStates();
const keys = mixedKeys(600);

/** Opens one backend per subtask of a parallelism, each in its own database (own TaskManager). */
async function openSubtasks(parallelism: number): Promise<TestKeyedState[]> {
  const subtasks: TestKeyedState[] = [];
  for (let i = 0; i < parallelism; i++) {
    subtasks.push(await states.open({ keyGroupRange: keyGroupRangeForOperator(MAX_PARALLELISM, parallelism, i), preregister: Array.from({ length: i }, (_, j) => ({ operatorId: 'pad', name: `${j}` })) }));
  }
  return subtasks;
}

/** Checks that each subtask holds exactly the expected state and timers of its key groups. */
async function expectDistributed(subtasks: readonly TestKeyedState[], expected: Map<string, unknown>, timers: readonly string[]): Promise<void> {
  let total = 0;
  const fired: string[] = [];
  for (const subtask of subtasks) {
    const range = subtask.backend.keyGroupRange;
    const held = dumpState(subtask.backend, keys);
    expect(held).toEqual(new Map([...expected].filter(([key]) => owns(range, JSON.parse(key) as string))));
    total += held.size;
    const stored = await storedKeys(subtask.backend);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.filter((key) => key.keyGroup < range.start || key.keyGroup > range.end)).toEqual([]);
    fired.push(...fireAll(subtask));
  }
  expect(total).toBe(expected.size);
  expect(fired.sort()).toEqual(timers);
}

describe('restoring keyed state at another parallelism', () => {
  it('splits 2 subtasks into 3, and merges 3 into 1', async () => {
    const root = states.root();
    const two = await openSubtasks(2);
    expect(two.map((s) => s.backend.keyGroupRange)).toEqual([
      { start: 0, end: 63 },
      { start: 64, end: 127 },
    ]);
    const whole = await states.open({ keyGroupRange: ALL_KEY_GROUPS });
    const write = (i: number, salt: number): void => {
      const key = keys[i] ?? 0;
      for (const state of [two.find((s) => owns(s.backend.keyGroupRange, key)), whole]) {
        if (state === undefined) continue;
        writeKey(state.backend, key, i + salt);
        if (i % 4 === 0) state.timers.registerEventTimeTimer(`w${i % 3}`, 100 + i);
      }
    };
    keys.forEach((_, i) => write(i, 0));
    let handles: KeyedStateHandle[] = [];
    for (const [i, subtask] of two.entries()) handles.push(await snapshotInto(subtask.backend, root, 1 + i));
    // A delta on top, so that chains are split as well.
    for (let i = 0; i < keys.length; i += 37) write(i, 1000);
    handles = [];
    for (const subtask of two) handles.push(await snapshotInto(subtask.backend, root, 3));
    expect(handles.map((h) => h.files.map((f) => f.kind))).toEqual([
      ['FULL', 'DELTA'],
      ['FULL', 'DELTA'],
    ]);

    const expected = dumpState(whole.backend, keys);
    const timers = fireAll(whole);
    expect(timers).toHaveLength(150);

    const three = await openSubtasks(3);
    for (const subtask of three) await restoreFrom(subtask, root, handles);
    const threeHandles: KeyedStateHandle[] = [];
    for (const subtask of three) threeHandles.push(await snapshotInto(subtask.backend, root, 4));
    await expectDistributed(three, expected, timers);

    const [one] = await openSubtasks(1);
    if (one === undefined) throw new Error('no subtask');
    await restoreFrom(one, root, threeHandles);
    await expectDistributed([one], expected, timers);
  });
});
