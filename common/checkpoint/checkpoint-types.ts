/**
 * The state a checkpoint is made of: the messages of proto/checkpoint.proto, as TaskManagers
 * acknowledge them, the JobManager keeps them in `_metadata` and hands them back on restore. The
 * types are the generated ones, so they cannot drift from the wire; where validation
 * (checkpoint-validation.ts) guarantees that a message field is set, the type says so instead of
 * `| null`. Raw messages, as they arrive, have the generated `__Output` types.
 *
 * Operator-state entries are opaque bytes here (MessagePack written and read by TaskManagers, see
 * taskmanager/checkpoint/operator-state-codec.ts). The decoded forms that operators snapshot and
 * get back are at the end of this module.
 *
 * Paths of state files are relative to a checkpoint storage root (see checkpoint-storage.ts):
 * the job's checkpoint directory for checkpoints, the savepoint directory for savepoints.
 */
import type { CheckpointMetadata__Output } from '../../proto/generated/sluice/checkpoint/CheckpointMetadata.ts';
import type { KeyedStateFile__Output } from '../../proto/generated/sluice/checkpoint/KeyedStateFile.ts';
import type { KeyedStateFileKind__Output } from '../../proto/generated/sluice/checkpoint/KeyedStateFileKind.ts';
import type { KeyedStateHandle__Output } from '../../proto/generated/sluice/checkpoint/KeyedStateHandle.ts';
import type { OperatorCheckpointState__Output } from '../../proto/generated/sluice/checkpoint/OperatorCheckpointState.ts';
import type { OperatorListState__Output } from '../../proto/generated/sluice/checkpoint/OperatorListState.ts';
import type { OperatorRestoreState__Output } from '../../proto/generated/sluice/checkpoint/OperatorRestoreState.ts';
import type { OperatorStateMode__Output } from '../../proto/generated/sluice/checkpoint/OperatorStateMode.ts';
import type { OperatorSubtaskState__Output } from '../../proto/generated/sluice/checkpoint/OperatorSubtaskState.ts';
import type { TaskRestore__Output } from '../../proto/generated/sluice/checkpoint/TaskRestore.ts';
import type { KeyGroupRange } from '../key-groups.ts';

/** The key groups of a keyed-state handle (common/key-groups.ts), the same type everywhere. */
export type { KeyGroupRange };

/** A full copy of a subtask's keyed state, or the changes since the previous file of its chain. */
export type KeyedStateFileKind = KeyedStateFileKind__Output;

/** One keyed-state file written for one operator subtask. */
export type KeyedStateFile = KeyedStateFile__Output;

/** The keyed state of one operator subtask: a full file, then the deltas after it, in order. */
export type KeyedStateHandle = Omit<KeyedStateHandle__Output, 'keyGroupRange'> & { keyGroupRange: KeyGroupRange };

/** One named list of operator state, its entries encoded (opaque to the JobManager). */
export type EncodedOperatorListState = OperatorListState__Output;

/** What one operator subtask snapshotted; `keyed` is null when the operator keeps no keyed state. */
export type OperatorSubtaskState = Omit<OperatorSubtaskState__Output, 'keyed'> & { keyed: KeyedStateHandle | null };

/** One operator in a completed checkpoint, with the states of its subtasks. */
export type OperatorCheckpointState = Omit<OperatorCheckpointState__Output, 'subtasks'> & { subtasks: OperatorSubtaskState[] };

/** The content of a `_metadata` file. */
export type CheckpointMetadata = Omit<CheckpointMetadata__Output, 'operators'> & { operators: OperatorCheckpointState[] };

/** The state one operator subtask gets back on restore, its entries still encoded. */
export type EncodedOperatorRestoreState = Omit<OperatorRestoreState__Output, 'keyed'> & { keyed: KeyedStateHandle[] };

/** What a restored task is deployed with: the checkpoint, its storage root and each operator's state. */
export type TaskRestore = Omit<TaskRestore__Output, 'operators'> & { operators: EncodedOperatorRestoreState[] };

/**
 * How an operator names the redistribution mode of a list (the `OperatorStateMode` enum, lower
 * case):
 * - `split`: the entries of all subtasks are dealt out round-robin (source splits, in-flight
 *   async records); at the same parallelism each subtask gets its own entries back;
 * - `union`: every subtask gets the entries of all subtasks (pending sink transactions);
 * - `broadcast`: every subtask holds the same entries; each new subtask gets subtask 0's copy.
 */
export type OperatorStateMode = Lowercase<OperatorStateMode__Output>;

/** One named list of operator (non-keyed) state as an operator snapshots it: plain values. */
export interface OperatorListState {
  readonly mode: OperatorStateMode;
  readonly entries: readonly unknown[];
}

/** The state one operator subtask gets back on restore, as a TaskManager hands it to the operator. */
export interface OperatorRestoreState {
  readonly operatorId: string;
  /** Keyed state handles that overlap the subtask's key-group range, with their storage roots. */
  readonly keyed: readonly { readonly root: string; readonly handle: KeyedStateHandle }[];
  /** The decoded entries of each named list. */
  readonly operatorState: Readonly<Record<string, readonly unknown[]>>;
}
