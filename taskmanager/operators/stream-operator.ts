/** The contract of an operator inside a task's chain. */
import type { OperatorListState } from '../../common/checkpoint/checkpoint-types.ts';

/** Named lists of operator (non-keyed) state, as an operator snapshots them. */
export type OperatorStateSnapshot = Record<string, OperatorListState>;

/** Named lists of operator state, as an operator gets them back on restore (redistributed). */
export type RestoredOperatorState = Readonly<Record<string, readonly unknown[]>>;

/** Where an operator sends what it emits: the next chained operator or the network. */
export interface Output {
  /** Emits a record, with its timestamp (NO_TIMESTAMP for none), on the main output. */
  collect(record: unknown, timestamp: number): void;
  /** Emits a record on a side output; dropped with a warning when no one consumes that tag. */
  collectSide(tag: string, record: unknown, timestamp: number): void;
  /** Passes a watermark on to every output, main and side. */
  emitWatermark(watermark: number): void;
}

/** One operator of a chain. Everything per record is synchronous. */
export interface StreamOperator {
  /** Prepares the operator; may be asynchronous (connectors open files and connections). */
  open(): Promise<void>;
  /** Handles one record of logical input `inputIndex`. */
  processElement(record: unknown, timestamp: number, inputIndex: number): void;
  /** Event time of all inputs has reached `watermark`: fire timers, then pass it on. */
  processWatermark(watermark: number): void;
  /**
   * Called at batch boundaries. Returns a promise when the operator has work to await (a sink
   * making records durable, a state backend writing its cache), otherwise undefined.
   */
  flush?(): Promise<void> | undefined;
  /**
   * Whether the operator cannot take more input now (an async operator at capacity). The task then
   * stops taking input until `whenUnblocked` resolves; records of the current batch still arrive.
   */
  readonly blocked?: boolean;
  /** Resolves when `blocked` turns false. */
  whenUnblocked?(): Promise<void>;
  /**
   * Emits what the operator holds back in memory (a local window aggregate's partials): called
   * before the task tells consumers it is idle, so that no window waits on what it holds.
   */
  emitHeldRecords?(): void;
  /** All input has been processed: emit what is still held and commit. */
  finish(): Promise<void>;
  /**
   * Restores operator (non-keyed) state from a checkpoint; called before `open`. Keyed state is
   * restored by the keyed state backend.
   */
  initializeState?(state: RestoredOperatorState): void;
  /**
   * The operator's non-keyed state at a checkpoint barrier, as JSON-serializable lists. Sinks
   * pre-commit here, which is why it may be asynchronous; the task processes no record meanwhile.
   */
  snapshotState?(checkpointId: number): OperatorStateSnapshot | Promise<OperatorStateSnapshot>;
  /** A checkpoint that holds this operator's state completed: two-phase-commit sinks commit. */
  notifyCheckpointComplete?(checkpointId: number): Promise<void> | void;
  /** Releases resources, after success or failure. */
  close(): Promise<void>;
}
