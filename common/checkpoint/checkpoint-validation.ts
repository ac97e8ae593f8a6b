/**
 * Checks of checkpoint messages where they enter a process: acknowledgements (JobManager),
 * `_metadata` files (read back from storage) and task restores (TaskManager). A decoded message
 * has the right field types, but nothing says its ranges, paths or enum values make sense: each
 * check here returns what is wrong, as a sentence for an error message, or undefined. A message
 * that passes has the shape the types of checkpoint-types.ts promise (its message fields set).
 */
import { isAbsolute, normalize, sep } from 'node:path';
import type { CheckpointMetadata__Output } from '../../proto/generated/sluice/checkpoint/CheckpointMetadata.ts';
import type { KeyedStateFileKind__Output } from '../../proto/generated/sluice/checkpoint/KeyedStateFileKind.ts';
import type { KeyedStateHandle__Output } from '../../proto/generated/sluice/checkpoint/KeyedStateHandle.ts';
import type { KeyGroupRange__Output } from '../../proto/generated/sluice/checkpoint/KeyGroupRange.ts';
import type { OperatorListState__Output } from '../../proto/generated/sluice/checkpoint/OperatorListState.ts';
import type { OperatorStateMode__Output } from '../../proto/generated/sluice/checkpoint/OperatorStateMode.ts';
import type { OperatorSubtaskState__Output } from '../../proto/generated/sluice/checkpoint/OperatorSubtaskState.ts';
import type { TaskRestore__Output } from '../../proto/generated/sluice/checkpoint/TaskRestore.ts';
import { keyGroupRangeForOperator, UPPER_BOUND_MAX_PARALLELISM, type KeyGroupRange } from '../key-groups.ts';

/** What the state of one operator subtask is checked against. */
export interface SubtaskStateBounds {
  /** The key groups its keyed state may cover. */
  readonly keyGroups: KeyGroupRange;
  /** The checkpoint it belongs to: no state file may come from a later one. */
  readonly checkpointId: number;
}

/** Every redistribution mode; a Record so that the compiler flags a mode missing here. */
const MODES: Record<OperatorStateMode__Output, true> = { SPLIT: true, UNION: true, BROADCAST: true };

/** Every keyed-state file kind; see MODES. */
const FILE_KINDS: Record<KeyedStateFileKind__Output, true> = { FULL: true, DELTA: true };

/**
 * What is wrong with the path of a state file relative to its storage root: it must be a
 * non-empty relative path that stays inside the root.
 */
export function statePathProblem(relPath: string): string | undefined {
  const normalized = normalize(relPath);
  if (relPath === '' || relPath.includes('\0') || isAbsolute(relPath) || normalized === '..' || normalized.startsWith(`..${sep}`)) {
    return `state file path ${JSON.stringify(relPath)} is not inside its storage root`;
  }
  return undefined;
}

/** What is wrong with a key-group range that must be set and lie within `within`. */
function keyGroupRangeProblem(range: KeyGroupRange__Output | null, within: KeyGroupRange): string | undefined {
  if (range === null) return 'it has no key-group range';
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start > end || start < within.start || end > within.end) {
    return `key-group range [${start}, ${end}] is outside the key groups [${within.start}, ${within.end}]`;
  }
  return undefined;
}

/** What is wrong with a keyed-state handle: its range, and its files (a full one, then deltas). */
function keyedStateHandleProblem(handle: KeyedStateHandle__Output, bounds: SubtaskStateBounds): string | undefined {
  const range = keyGroupRangeProblem(handle.keyGroupRange, bounds.keyGroups);
  if (range !== undefined) return `keyed state: ${range}`;
  if (handle.files.length === 0) return 'keyed state: the handle lists no file';
  for (const [i, file] of handle.files.entries()) {
    const path = statePathProblem(file.path);
    if (path !== undefined) return `keyed state: ${path}`;
    if (!Object.hasOwn(FILE_KINDS, file.kind)) return `keyed state: file ${file.path} has the unknown kind ${String(file.kind)}`;
    if ((i === 0) !== (file.kind === 'FULL')) return `keyed state: file ${file.path} is ${i === 0 ? 'a delta but comes first' : 'full but follows another'}; a handle is a full file, then deltas`;
    if (!Number.isSafeInteger(file.checkpointId) || file.checkpointId > bounds.checkpointId) {
      return `keyed state: file ${file.path} claims checkpoint ${file.checkpointId}, after checkpoint ${bounds.checkpointId}`;
    }
    if (!Number.isSafeInteger(file.bytes)) return `keyed state: file ${file.path} has the size ${file.bytes}`;
  }
  return undefined;
}

/** What is wrong with a named list of operator state (its mode; its entries are opaque). */
function operatorListStateProblem(name: string, list: OperatorListState__Output): string | undefined {
  if (!Object.hasOwn(MODES, list.mode)) return `operator state ${JSON.stringify(name)} has the unknown mode ${String(list.mode)}`;
  return undefined;
}

/** What is wrong with the operator-state lists of an operator, by name. */
function operatorStateProblem(lists: Readonly<Record<string, OperatorListState__Output>>): string | undefined {
  for (const [name, list] of Object.entries(lists)) {
    const problem = operatorListStateProblem(name, list);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** What is wrong with the state one operator subtask snapshotted. */
export function subtaskStateProblem(state: OperatorSubtaskState__Output, bounds: SubtaskStateBounds): string | undefined {
  const keyed = state.keyed === null ? undefined : keyedStateHandleProblem(state.keyed, bounds);
  return keyed ?? operatorStateProblem(state.operatorState);
}

/** What is wrong with decoded `_metadata`: ids, parallelisms, subtasks and each subtask's state. */
export function metadataProblem(metadata: CheckpointMetadata__Output): string | undefined {
  const { checkpointId } = metadata;
  if (metadata.jobId === '') return 'it names no job';
  if (!Number.isSafeInteger(checkpointId)) return `checkpoint id ${checkpointId} is not an integer`;
  if (metadata.root === '' || isAbsolute(metadata.root)) return `its storage root ${JSON.stringify(metadata.root)} is not a relative path`;
  const operatorIds = new Set<string>();
  for (const op of metadata.operators) {
    const what = `operator ${JSON.stringify(op.operatorId)}`;
    if (op.operatorId === '' || operatorIds.has(op.operatorId)) return `${what} is unnamed or listed twice`;
    operatorIds.add(op.operatorId);
    if (op.maxParallelism < 1 || op.maxParallelism > UPPER_BOUND_MAX_PARALLELISM || op.parallelism < 1 || op.parallelism > op.maxParallelism) {
      return `${what} has parallelism ${op.parallelism} and max parallelism ${op.maxParallelism}`;
    }
    const subtasks = new Set<number>();
    for (const state of op.subtasks) {
      if (state.operatorId !== op.operatorId || state.subtask >= op.parallelism || subtasks.has(state.subtask)) {
        return `${what} lists the state of ${JSON.stringify(state.operatorId)} subtask ${state.subtask}, which is not one of its subtasks or is listed twice`;
      }
      subtasks.add(state.subtask);
      const keyGroups = keyGroupRangeForOperator(op.maxParallelism, op.parallelism, state.subtask);
      const problem = subtaskStateProblem(state, { keyGroups, checkpointId });
      if (problem !== undefined) return `${what} subtask ${state.subtask}: ${problem}`;
    }
  }
  return undefined;
}

/**
 * What is wrong with a task's restore, for a task whose operators have `maxParallelism` key
 * groups: it must name an absolute storage root, and every handle lie within the key groups.
 */
export function taskRestoreProblem(restore: TaskRestore__Output, maxParallelism: number): string | undefined {
  if (!isAbsolute(restore.root)) return `its storage root ${JSON.stringify(restore.root)} is not an absolute path`;
  const bounds: SubtaskStateBounds = { keyGroups: { start: 0, end: maxParallelism - 1 }, checkpointId: restore.checkpointId };
  for (const op of restore.operators) {
    for (const handle of op.keyed) {
      const problem = keyedStateHandleProblem(handle, bounds);
      if (problem !== undefined) return `operator ${JSON.stringify(op.operatorId)}: ${problem}`;
    }
    const problem = operatorStateProblem(op.operatorState);
    if (problem !== undefined) return `operator ${JSON.stringify(op.operatorId)}: ${problem}`;
  }
  return undefined;
}
