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
  /** Attempt number of this subtask, so that files of different attempts never collide. */
  readonly attempt: number;
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
  /** Called at end of input, after the last write: commit whatever is pending. */
  finish(): Promise<void>;
  /** Releases resources; called once, also after failures and cancellation. */
  close(): Promise<void>;
}

/** A sink: creates one writer per subtask. */
export interface Sink<T> {
  /** Short scheme-like name for plans and metrics, for example `file` or `print`. */
  readonly kind: string;
  createWriter(context: SinkContext): SinkWriter<T>;
}
