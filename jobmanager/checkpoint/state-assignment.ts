/**
 * Hands the state of a completed checkpoint to the subtasks of a new execution, possibly at
 * another parallelism: keyed state by key-group range (each subtask gets every handle that
 * overlaps the key groups it now owns), operator state by each list's redistribution mode. The
 * entries of operator state are opaque bytes here: they are dealt out, never decoded.
 */
import type {
  CheckpointMetadata,
  EncodedOperatorListState,
  EncodedOperatorRestoreState,
  KeyGroupRange,
  OperatorCheckpointState,
  TaskRestore,
} from '../../common/checkpoint/checkpoint-types.ts';
import { keyGroupRangeForOperator } from '../../common/key-groups.ts';
import type { JobVertex } from '../../common/rpc/index.ts';

/** A completed checkpoint's metadata with the directory its state paths are relative to. */
export interface RestoreSource {
  readonly metadata: CheckpointMetadata;
  /** Absolute storage root of the checkpoint's state files. */
  readonly root: string;
}

/**
 * Checks that a checkpoint can restore a job: every operator with state must still exist with
 * the same max parallelism (key groups cannot be re-cut). Returns the problems, empty if none.
 */
export function restoreProblems(source: RestoreSource, vertices: readonly JobVertex[]): string[] {
  const problems: string[] = [];
  const byOperator = new Map<string, JobVertex>();
  for (const v of vertices) for (const op of v.operators) byOperator.set(op.id, v);
  for (const op of source.metadata.operators) {
    const hasState = op.subtasks.some((s) => s.keyed !== null || Object.values(s.operatorState).some((l) => l.entries.length > 0));
    if (!hasState) continue;
    const vertex = byOperator.get(op.operatorId);
    if (!vertex) problems.push(`operator ${op.operatorId} of the checkpoint is not in the job (give stateful operators a stable uid)`);
    else if (vertex.maxParallelism !== op.maxParallelism) {
      problems.push(`operator ${op.operatorId}: max parallelism ${vertex.maxParallelism} differs from the checkpoint's ${op.maxParallelism}`);
    }
  }
  return problems;
}

/** The restore of subtask `subtask` of `vertex`, running at the vertex's (possibly new) parallelism. */
export function assignTaskRestore(source: RestoreSource, vertex: JobVertex, subtask: number): TaskRestore {
  const operators: EncodedOperatorRestoreState[] = [];
  const range = keyGroupRangeForOperator(vertex.maxParallelism, vertex.parallelism, subtask);
  for (const op of vertex.operators) {
    const old = source.metadata.operators.find((o) => o.operatorId === op.id);
    if (!old) continue;
    operators.push({
      operatorId: op.id,
      keyed: old.subtasks.flatMap((s) => (s.keyed !== null && overlaps(s.keyed.keyGroupRange, range) ? [s.keyed] : [])),
      operatorState: assignOperatorState(old, vertex.parallelism, subtask),
    });
  }
  return { checkpointId: source.metadata.checkpointId, root: source.root, operators };
}

function overlaps(a: KeyGroupRange, b: KeyGroupRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Redistributes every named list of an operator, keeping its mode; see `OperatorStateMode`. */
export function assignOperatorState(old: OperatorCheckpointState, parallelism: number, subtask: number): Record<string, EncodedOperatorListState> {
  const subtasks = [...old.subtasks].sort((a, b) => a.subtask - b.subtask);
  const names = new Set(subtasks.flatMap((s) => Object.keys(s.operatorState)));
  const result: Record<string, EncodedOperatorListState> = {};
  for (const name of names) {
    const lists = subtasks.flatMap((s) => {
      const list = s.operatorState[name];
      return list === undefined ? [] : [{ subtask: s.subtask, list }];
    });
    const mode = lists[0]?.list.mode ?? 'SPLIT';
    let entries: Buffer[];
    if (mode === 'UNION') entries = lists.flatMap((l) => l.list.entries);
    else if (mode === 'BROADCAST') entries = [...(lists[0]?.list.entries ?? [])];
    else if (old.parallelism === parallelism) entries = [...(lists.find((l) => l.subtask === subtask)?.list.entries ?? [])];
    else entries = lists.flatMap((l) => l.list.entries).filter((_, i) => i % parallelism === subtask);
    result[name] = { mode, entries };
  }
  return result;
}
