/**
 * Redistribution of a completed checkpoint's state to the subtasks of a new execution
 * (jobmanager/checkpoint/state-assignment.ts): keyed handles by overlapping key-group ranges when
 * rescaling 2→3, 3→1 and at the same parallelism; operator state lists by mode (`split` at the
 * same and at another parallelism, `union`, `broadcast`), their entries dealt out as opaque
 * bytes (here bytes no decoder would accept), byte for byte; and the checks of `restoreProblems`
 * (a stateful operator missing from the job, a changed max parallelism).
 */
import { describe, expect, it } from 'vitest';
import type { CheckpointMetadata, EncodedOperatorListState, KeyedStateHandle, OperatorCheckpointState, OperatorSubtaskState } from '../../../common/checkpoint/checkpoint-types.ts';
import { keyGroupRangeForOperator } from '../../../common/key-groups.ts';
import type { JobVertex } from '../../../common/rpc/index.ts';
import { assignOperatorState, assignTaskRestore, restoreProblems, type RestoreSource } from '../../../jobmanager/checkpoint/state-assignment.ts';

const MAX_PARALLELISM = 128;
const ROOT = '/checkpoints/job';

/** The keyed handle old subtask `subtask` of `parallelism` wrote: one file named after it. */
function handleOf(parallelism: number, subtask: number, maxParallelism = MAX_PARALLELISM): KeyedStateHandle {
  return {
    keyGroupRange: keyGroupRangeForOperator(maxParallelism, parallelism, subtask),
    files: [{ path: `shared/op-p${parallelism}-s${subtask}.kst`, kind: 'FULL', checkpointId: 7, bytes: 100 }],
  };
}

function operatorState(
  operatorId: string,
  parallelism: number,
  subtask: (i: number) => Partial<OperatorSubtaskState>,
  maxParallelism = MAX_PARALLELISM,
): OperatorCheckpointState {
  return {
    operatorId,
    parallelism,
    maxParallelism,
    subtasks: Array.from({ length: parallelism }, (_, i) => ({ operatorId, subtask: i, keyed: null, operatorState: {}, ...subtask(i) })),
  };
}

function source(operators: OperatorCheckpointState[]): RestoreSource {
  const metadata: CheckpointMetadata = {
    jobId: 'job',
    checkpointId: 7,
    isSavepoint: false,
    triggeredAt: 1,
    completedAt: 2,
    sizeBytes: 0,
    incrementalBytes: 0,
    root: '..',
    operators,
  };
  return { metadata, root: ROOT };
}

function vertex(parallelism: number, operatorIds: readonly string[] = ['keyed-op'], maxParallelism = MAX_PARALLELISM): JobVertex {
  return {
    id: 'v',
    name: 'v',
    parallelism,
    maxParallelism,
    isSource: false,
    inputs: [],
    operators: operatorIds.map((id) => ({ id, uid: id, name: id, kind: 'process' })),
  };
}

/** The old subtasks whose keyed handles a new subtask got, by their file names. */
function keyedOf(src: RestoreSource, parallelism: number, subtask: number): string[] {
  const restore = assignTaskRestore(src, vertex(parallelism), subtask);
  expect(restore.checkpointId).toBe(7);
  expect(restore.root).toBe(ROOT);
  expect(restore.operators.map((o) => o.operatorId)).toEqual(['keyed-op']);
  return restore.operators[0]!.keyed.map((handle) => handle.files[0]!.path.replace(/^shared\/op-|\.kst$/g, ''));
}

/**
 * Opaque entry bytes named `name`: 0xc1 (a byte MessagePack never uses) and 0xff around the
 * name, so that any attempt to decode or re-encode them would show.
 */
function opaque(name: string): Buffer {
  return Buffer.concat([Buffer.of(0xc1, 0xff), Buffer.from(name, 'utf8'), Buffer.of(0x00, 0xc1)]);
}

/** The names of opaque entries, checking that every entry came through byte for byte. */
function names(entries: readonly Buffer[]): string[] {
  return entries.map((entry) => {
    expect(entry.subarray(0, 2)).toEqual(Buffer.of(0xc1, 0xff));
    expect(entry.subarray(-2)).toEqual(Buffer.of(0x00, 0xc1));
    return entry.subarray(2, -2).toString('utf8');
  });
}

/** `assignOperatorState` with each list's entries by name, and its mode. */
function assigned(old: OperatorCheckpointState, parallelism: number, subtask: number): Record<string, { mode: string; entries: string[] }> {
  const lists = assignOperatorState(old, parallelism, subtask);
  return Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, { mode: list.mode, entries: names(list.entries) }]));
}

/** A list of opaque entries. */
function list(mode: EncodedOperatorListState['mode'], ...entries: string[]): EncodedOperatorListState {
  return { mode, entries: entries.map(opaque) };
}

function keyedSource(parallelism: number): RestoreSource {
  return source([operatorState('keyed-op', parallelism, (i) => ({ keyed: handleOf(parallelism, i) }))]);
}

describe('assignTaskRestore: keyed state', () => {
  it('gives each new subtask every old handle whose key groups overlap its own (2 → 3)', () => {
    const src = keyedSource(2);
    // Old: [0,63] [64,127]; new: [0,42] [43,85] [86,127].
    expect([0, 1, 2].map((i) => keyGroupRangeForOperator(MAX_PARALLELISM, 3, i))).toEqual([
      { start: 0, end: 42 },
      { start: 43, end: 85 },
      { start: 86, end: 127 },
    ]);
    expect(keyedOf(src, 3, 0)).toEqual(['p2-s0']);
    expect(keyedOf(src, 3, 1)).toEqual(['p2-s0', 'p2-s1']);
    expect(keyedOf(src, 3, 2)).toEqual(['p2-s1']);
  });

  it('gives the single subtask every handle when scaling in (3 → 1)', () => {
    expect(keyedOf(keyedSource(3), 1, 0)).toEqual(['p3-s0', 'p3-s1', 'p3-s2']);
  });

  it('gives each subtask exactly its own handle at the same parallelism', () => {
    const src = keyedSource(3);
    expect([0, 1, 2].map((i) => keyedOf(src, 3, i))).toEqual([['p3-s0'], ['p3-s1'], ['p3-s2']]);
  });

  it('hands out the handles unchanged, and only for operators of the vertex that the checkpoint has', () => {
    const src = source([
      operatorState('keyed-op', 2, (i) => ({ keyed: handleOf(2, i) })),
      operatorState('elsewhere', 2, () => ({ operatorState: { x: list('SPLIT', 'x') } })),
    ]);
    const restore = assignTaskRestore(src, vertex(2, ['new-op', 'keyed-op']), 1);
    expect(restore).toEqual({
      checkpointId: 7,
      root: ROOT,
      operators: [{ operatorId: 'keyed-op', keyed: [handleOf(2, 1)], operatorState: {} }],
    });
  });
});

describe('assignOperatorState', () => {
  /** An operator whose old subtask i held `split` entries `s<i>-<j>` (i + 1 of them) in list `offsets`. */
  function splitState(parallelism: number): OperatorCheckpointState {
    return operatorState('src', parallelism, (i) => ({
      operatorState: { offsets: list('SPLIT', ...Array.from({ length: i + 1 }, (_, j) => `s${i}-${j}`)) },
    }));
  }

  function allEntries(old: OperatorCheckpointState, name: string): string[] {
    return old.subtasks.flatMap((s) => names(s.operatorState[name]?.entries ?? []));
  }

  it('gives each subtask its own split entries at the same parallelism, byte for byte', () => {
    const old = splitState(3);
    expect([0, 1, 2].map((i) => assigned(old, 3, i))).toEqual([
      { offsets: { mode: 'SPLIT', entries: ['s0-0'] } },
      { offsets: { mode: 'SPLIT', entries: ['s1-0', 's1-1'] } },
      { offsets: { mode: 'SPLIT', entries: ['s2-0', 's2-1', 's2-2'] } },
    ]);
  });

  it.each([
    [3, 2],
    [2, 5],
    [4, 1],
    [3, 4],
  ])('deals out split entries round-robin from %i to %i subtasks, none lost or duplicated', (from, to) => {
    const old = splitState(from);
    const lists = Array.from({ length: to }, (_, i) => assigned(old, to, i).offsets?.entries ?? []);
    const dealt = lists.flat();
    expect(dealt).toHaveLength(allEntries(old, 'offsets').length);
    expect([...dealt].sort()).toEqual([...allEntries(old, 'offsets')].sort());
    // Round-robin: the counts differ by at most one.
    const counts = lists.map((l) => l.length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('gives every subtask all union entries, at any parallelism', () => {
    const old = operatorState('sink', 3, (i) => ({ operatorState: { transactions: list('UNION', `t${i}-a`, `t${i}-b`) } }));
    const expected = { transactions: { mode: 'UNION', entries: ['t0-a', 't0-b', 't1-a', 't1-b', 't2-a', 't2-b'] } };
    for (const parallelism of [1, 3, 5]) {
      for (let i = 0; i < parallelism; i++) expect(assigned(old, parallelism, i)).toEqual(expected);
    }
  });

  it("gives every subtask subtask 0's copy of a broadcast list", () => {
    const old = operatorState('rules', 2, (i) => ({ operatorState: { rules: list('BROADCAST', `rule-a@${i}`, `rule-b@${i}`) } }));
    for (const parallelism of [1, 2, 4]) {
      for (let i = 0; i < parallelism; i++) expect(assigned(old, parallelism, i)).toEqual({ rules: { mode: 'BROADCAST', entries: ['rule-a@0', 'rule-b@0'] } });
    }
  });

  it('redistributes each named list by its own mode', () => {
    const lists = (i: number): Record<string, EncodedOperatorListState> => ({
      offsets: list('SPLIT', `o${i}`),
      pending: list('UNION', `p${i}`),
      config: list('BROADCAST', `c${i}`),
    });
    const old = operatorState('mixed', 2, (i) => ({ operatorState: lists(i) }));
    expect(assigned(old, 2, 1)).toEqual({
      offsets: { mode: 'SPLIT', entries: ['o1'] },
      pending: { mode: 'UNION', entries: ['p0', 'p1'] },
      config: { mode: 'BROADCAST', entries: ['c0'] },
    });
    expect(assigned(old, 1, 0)).toEqual({
      offsets: { mode: 'SPLIT', entries: ['o0', 'o1'] },
      pending: { mode: 'UNION', entries: ['p0', 'p1'] },
      config: { mode: 'BROADCAST', entries: ['c0'] },
    });
  });

  it('keeps empty entries and entries of any length', () => {
    const big = Buffer.alloc(70_000, 0xc1);
    const old = operatorState('src', 1, () => ({ operatorState: { odd: { mode: 'SPLIT', entries: [Buffer.alloc(0), big] } } }));
    const [empty, kept] = assignOperatorState(old, 2, 0).odd!.entries.concat(assignOperatorState(old, 2, 1).odd!.entries);
    expect(empty).toEqual(Buffer.alloc(0));
    expect(kept?.equals(big)).toBe(true);
  });
});

describe('restoreProblems', () => {
  const stateful = operatorState('keyed-op', 2, (i) => ({ keyed: handleOf(2, i) }));

  it('finds none when every stateful operator exists with the same max parallelism, at any parallelism', () => {
    expect(restoreProblems(source([stateful]), [vertex(5, ['keyed-op'])])).toEqual([]);
  });

  it('reports a stateful operator that is not in the job, but not a stateless one', () => {
    const withOperatorState = operatorState('offsets-op', 1, () => ({ operatorState: { offsets: list('SPLIT', '42') } }));
    const stateless = operatorState('stateless-op', 2, () => ({ operatorState: { empty: list('SPLIT') } }));
    const problems = restoreProblems(source([stateful, withOperatorState, stateless]), [vertex(2, ['other-op'])]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/operator keyed-op of the checkpoint is not in the job/);
    expect(problems[1]).toMatch(/operator offsets-op of the checkpoint is not in the job/);
    expect(problems.join()).not.toContain('stateless-op');
  });

  it('reports a changed max parallelism', () => {
    const problems = restoreProblems(source([stateful]), [vertex(2, ['keyed-op'], 256)]);
    expect(problems).toEqual([expect.stringMatching(/operator keyed-op: max parallelism 256 differs from the checkpoint's 128/)]);
  });
});
