/**
 * The state a checkpoint is made of, as the JobManager stores it in `_metadata` and hands it back
 * to tasks on restore. Everything here is plain JSON, so it can travel in control messages and
 * sit in a metadata file.
 *
 * Paths of state files are relative to a checkpoint storage root (see checkpoint-storage.ts):
 * the job's checkpoint directory for checkpoints, the savepoint directory for savepoints.
 */

/** An inclusive range of key groups. */
export interface KeyGroupRangeJson {
  readonly start: number;
  readonly end: number;
}

/** One file of keyed state written for one operator subtask. */
export interface KeyedStateFile {
  /** Relative to the storage root. */
  readonly path: string;
  /** A full copy of the subtask's state, or the changes since the previous file of the chain. */
  readonly kind: 'full' | 'delta';
  /** The checkpoint that wrote the file. */
  readonly checkpointId: number;
  /** Encoded size of the file. */
  readonly bytes: number;
}

/**
 * The keyed state of one operator subtask: a full file followed by the deltas written after it,
 * applied in order. Entries outside `keyGroupRange` are never in the files.
 */
export interface KeyedStateHandle {
  readonly keyGroupRange: KeyGroupRangeJson;
  readonly files: readonly KeyedStateFile[];
}

/**
 * How a list of operator-state entries is redistributed when the parallelism changes:
 * - `split`: the entries of all subtasks are dealt out round-robin (source splits, in-flight
 *   async records); at the same parallelism each subtask gets its own entries back;
 * - `union`: every subtask gets the entries of all subtasks (pending sink transactions);
 * - `broadcast`: every subtask holds the same entries; each new subtask gets subtask 0's copy.
 */
export type OperatorStateMode = 'split' | 'union' | 'broadcast';

/** One named list of operator (non-keyed) state. */
export interface OperatorListState {
  readonly mode: OperatorStateMode;
  readonly entries: readonly unknown[];
}

/** What one operator subtask snapshotted. */
export interface OperatorSubtaskState {
  readonly operatorId: string;
  readonly subtask: number;
  readonly keyed?: KeyedStateHandle;
  /** Named operator state lists. */
  readonly operatorState: Readonly<Record<string, OperatorListState>>;
}

/** The state one operator subtask gets back on restore, after redistribution. */
export interface OperatorRestoreState {
  readonly operatorId: string;
  /** Keyed state handles that overlap the subtask's key-group range, with their storage roots. */
  readonly keyed: readonly { readonly root: string; readonly handle: KeyedStateHandle }[];
  readonly operatorState: Readonly<Record<string, readonly unknown[]>>;
}

/** What a restored task is deployed with: the checkpoint and the state of each of its operators. */
export interface TaskRestore {
  readonly checkpointId: number;
  readonly operators: readonly OperatorRestoreState[];
}

/** One operator in a completed checkpoint. */
export interface OperatorCheckpointState {
  readonly operatorId: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly subtasks: readonly OperatorSubtaskState[];
}

/** The content of a `_metadata` file. */
export interface CheckpointMetadata {
  readonly version: 1;
  readonly jobId: string;
  readonly checkpointId: number;
  readonly isSavepoint: boolean;
  readonly triggeredAt: number;
  readonly completedAt: number;
  /** Total bytes of the state files the checkpoint references. */
  readonly sizeBytes: number;
  /** Bytes of the files this checkpoint wrote (the rest it shares with earlier ones). */
  readonly incrementalBytes: number;
  /**
   * Where the paths of state files are relative to, as a path relative to the directory of the
   * `_metadata` file: `..` for checkpoints (the job's checkpoint directory), `.` for savepoints.
   */
  readonly root: string;
  readonly operators: readonly OperatorCheckpointState[];
}
