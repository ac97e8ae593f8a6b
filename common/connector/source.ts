/**
 * The contract between a source connector and the TaskManager that runs it.
 *
 * A source is split-aware: it enumerates its splits once per source subtask (deterministically,
 * so every subtask sees the same list) and each subtask reads the splits it owns. A reader emits
 * records synchronously inside `pollNext`; it never awaits per record.
 */

/** One independently readable part of a source, for example one file. Must be JSON-serializable. */
export interface SourceSplit {
  readonly id: string;
}

/** What a source knows about the subtask that runs it. */
export interface SourceReaderContext {
  readonly jobId: string;
  readonly operatorId: string;
  /** The name the job gave this input, for example `in`; malformed records carry it. */
  readonly inputName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
}

/** Where a reader puts what it reads. */
export interface SourceOutput<T> {
  /**
   * Emits one record downstream. `timestamp` is the time the source knows for it (a log's message
   * time, in epoch milliseconds); the job's timestamp assigner, when it has one, takes precedence.
   */
  collect(record: T, timestamp?: number): void;
  /** Reports a line that could not be parsed or validated; it goes to the `malformed` output. */
  malformed(raw: string, error: string): void;
  /**
   * Says that the records that follow come from split `splitId`, so that each split gets its own
   * watermark. A reader of one split may never call it.
   */
  setSplit(splitId: string): void;
  /** Split `splitId` is exhausted: it no longer holds the watermark back. */
  splitEnded(splitId: string): void;
}

/** The result of one `pollNext` call. */
export type PollStatus =
  /** More records can be read right away. */
  | 'more'
  /** Nothing is available now; wait on `available()`. */
  | 'nothing'
  /** Every split this reader owns is exhausted. */
  | 'end';

/**
 * Default bound on the malformed output of one source subtask between two checkpoints (from the
 * start when the job takes none), in bytes of the reports' `raw` and `error` texts: 64 MiB.
 */
export const DEFAULT_MAX_MALFORMED_BYTES = 64 * 1024 * 1024;

/** Reads the splits assigned to one source subtask. */
export interface SourceReader<T> {
  /**
   * The most bytes of malformed reports this subtask may emit between two checkpoints; beyond it
   * the task fails, naming the limit. Absent: `DEFAULT_MAX_MALFORMED_BYTES`.
   */
  readonly maxMalformedBytes?: number;
  /**
   * Whether every split this reader was given is read to its end, for example all restored as
   * finished: it holds event time back no more than a reader without splits. Absent: never.
   */
  readonly exhausted?: boolean;
  /** Opens resources; called once before the first poll. */
  open(): Promise<void>;
  /**
   * Assigns splits; called before `open` and possibly later. A split may carry progress from
   * `snapshotState` (of this or another reader): reading then resumes exactly where it stood.
   */
  addSplits(splits: readonly SourceSplit[]): void;
  /** Emits at most `maxRecords` records synchronously and says what comes next. */
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus;
  /**
   * The reader's splits with their current progress, finished ones included, as splits that
   * `addSplits` accepts to resume exactly after the last record emitted by `pollNext`.
   */
  snapshotState(checkpointId?: number): SourceSplit[];
  /**
   * Checkpoint `checkpointId`, whose `snapshotState` this reader gave, completed. A log source may
   * report its positions back to the service here, for monitoring; recovery uses the checkpoint.
   */
  notifyCheckpointComplete?(checkpointId: number): Promise<void>;
  /** Resolves when a poll after `nothing` can make progress. */
  available(): Promise<void>;
  /** Releases resources; called once, also after failures. */
  close(): Promise<void>;
}

/** A source of records: enumerates splits and creates readers. */
export interface Source<T> {
  /** Short scheme-like name for plans and metrics, for example `file` or `datagen`. */
  readonly kind: string;
  /** Whether the source ends by itself. A job whose sources are all bounded finishes. */
  readonly bounded: boolean;
  /**
   * Whether the reader passes a timestamp with every record (a log's message time), so that a
   * watermark strategy on this source needs no timestamp assigner. Absent means no.
   */
  readonly timestamped?: boolean;
  /** Lists the splits of the whole source, in a deterministic order. */
  enumerateSplits(): Promise<SourceSplit[]>;
  /** Creates the reader of one subtask. */
  createReader(context: SourceReaderContext): SourceReader<T>;
}

/** Assigns splits to subtasks round-robin by position: split i goes to subtask i mod p. */
export function splitsForSubtask<S extends SourceSplit>(splits: readonly S[], subtaskIndex: number, parallelism: number): S[] {
  return splits.filter((_, i) => i % parallelism === subtaskIndex);
}

/** Orders splits by id (plain string comparison), so that snapshots are deterministic. */
export function bySplitId(a: SourceSplit, b: SourceSplit): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
