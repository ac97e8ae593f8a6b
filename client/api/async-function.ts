/** The user function of async I/O (`AsyncDataStream`) and what it is handed. */
import type { RichFunction } from './functions.ts';

/** What one invocation of an async function gets besides its input. */
export interface AsyncInvokeContext {
  /**
   * Aborted when the request times out or the operator closes; pass it to `fetch` and similar
   * calls so that abandoned work stops.
   */
  readonly signal: AbortSignal;
  /** Which try this is: 1 for the first call, 2 for the first retry, and so on. */
  readonly attempt: number;
}

/**
 * Turns one input record into a promise of results, like Flink's AsyncFunction. The promise may
 * resolve to one record or to an array of records: an array emits each of its elements (an empty
 * array emits nothing), `undefined` emits nothing, any other value is emitted as one record. To
 * emit an array as a single record, wrap it: `[array]`.
 *
 * `open` and `close` run in the task like for other rich functions; `asyncInvoke` must not use
 * keyed state (its result arrives outside any key context).
 */
export interface AsyncFunction<IN, OUT> extends RichFunction {
  /** Starts the request for `input`; called again for each retry. */
  asyncInvoke(input: IN, ctx: AsyncInvokeContext): Promise<OUT[] | OUT>;
  /**
   * The result to emit when the request timed out. Without it a timeout is a failure, handled as
   * the `onFailure` option says. Throwing from it is a failure too.
   */
  timeout?(input: IN): OUT[] | OUT;
}

/** What goes to the `onFailure` side output for a request that failed for good. */
export interface AsyncFailure<IN> {
  /** The input record whose request failed. */
  readonly input: IN;
  /** The message of the last error (or of the timeout). */
  readonly error: string;
  /** How many times `asyncInvoke` was called for the record. */
  readonly attempts: number;
  /** Whether the request ended because it timed out. */
  readonly timedOut: boolean;
}
