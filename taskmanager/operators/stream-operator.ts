/** The contract of an operator inside a task's chain. */
import type { RuntimeContext } from '../../client/api/functions.ts';

/** Where an operator sends what it emits: the next chained operator or the network. */
export interface Output {
  /** Emits a record on the main output. */
  collect(record: unknown): void;
  /** Emits a record on a side output; dropped when no one consumes that tag. */
  collectSide(tag: string, record: unknown): void;
}

/** One operator of a chain. Everything per record is synchronous. */
export interface StreamOperator {
  /** Prepares the operator; may be asynchronous (connectors open files and connections). */
  open(): Promise<void>;
  /** Handles one record of logical input `inputIndex`. */
  processElement(record: unknown, inputIndex: number): void;
  /** Awaited at batch boundaries: a sink makes buffered records durable here. */
  flush?(): Promise<void>;
  /** All input has been processed: emit what is still held and commit. */
  finish(): Promise<void>;
  /** Releases resources, after success or failure. */
  close(): Promise<void>;
}

/** What every operator is built with. */
export interface OperatorSetup {
  readonly context: RuntimeContext;
  readonly output: Output;
}
