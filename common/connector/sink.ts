/**
 * The contract between a sink connector and the TaskManager that runs it.
 *
 * `write` is synchronous and called once per record. Anything slow happens in `flush`, which the
 * task awaits at batch boundaries: a slow sink therefore backpressures its inputs instead of
 * buffering without bound.
 */

/** What a sink knows about the subtask that runs it. */
export interface SinkContext {
  readonly jobId: string;
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** Attempt number of this subtask: it counts up when the subtask is restarted. */
  readonly attempt: number;
  /**
   * Whether the job takes checkpoints. Then a two-phase-commit writer's output is committed by
   * completed checkpoints only, and `finish` merely flushes; otherwise `finish` commits.
   */
  readonly checkpointing: boolean;
  /** Sends a batch of records to the JobManager for `collect` sinks. */
  pushCollected(records: readonly unknown[]): Promise<void>;
}

/** Writes the records of one sink subtask. */
export interface SinkWriter<T> {
  /** Opens resources; called once before the first write. */
  open(): Promise<void>;
  /** Accepts one record. Must not block; buffer and write in `flush`. */
  write(record: T): void;
  /** Makes buffered records durable or visible; awaited at batch boundaries. */
  flush(): Promise<void>;
  /**
   * Called at end of input, after the last write: commit whatever is pending. When
   * `SinkContext.checkpointing`, a two-phase-commit writer only flushes here: the final
   * checkpoint's `preCommit` and `commit` make the rest visible.
   */
  finish(): Promise<void>;
  /** Releases resources; called once, also after failures and cancellation. */
  close(): Promise<void>;
}

/** A sink writer whose output becomes visible only when the checkpoint that covers it completes. */
export interface TwoPhaseCommitSinkWriter<T, Txn> extends SinkWriter<T> {
  /**
   * Called at a checkpoint barrier after the last `flush`: ends the open transaction, making its
   * data durable but still invisible, and returns the transactions to commit once checkpoint
   * `checkpointId` completes (JSON-serializable; may be empty when nothing was written).
   */
  preCommit(checkpointId: number): Promise<Txn[]>;
  /** Makes transactions visible. Idempotent: after a failure a transaction may be committed again. */
  commit(transactions: readonly Txn[]): Promise<void>;
  /**
   * On restore, before the first write: commits `toCommit` (transactions this subtask owns that
   * were pre-committed in the restored checkpoint) and discards leftovers of earlier attempts
   * that are not in `keep` (all transactions of the restored checkpoint, of every subtask).
   */
  recover(toCommit: readonly Txn[], keep: readonly Txn[]): Promise<void>;
}

/**
 * Whether a writer takes part in checkpoints with two-phase commit, that is, has `preCommit`,
 * `commit` and `recover`. Other writers are only flushed at a checkpoint barrier.
 */
export function isTwoPhaseCommitWriter<T>(writer: SinkWriter<T>): writer is TwoPhaseCommitSinkWriter<T, unknown> {
  const candidate = writer as Partial<TwoPhaseCommitSinkWriter<T, unknown>>;
  return typeof candidate.preCommit === 'function' && typeof candidate.commit === 'function' && typeof candidate.recover === 'function';
}

/** A sink: creates one writer per subtask. */
export interface Sink<T> {
  /** Short scheme-like name for plans and metrics, for example `file` or `print`. */
  readonly kind: string;
  createWriter(context: SinkContext): SinkWriter<T>;
}
