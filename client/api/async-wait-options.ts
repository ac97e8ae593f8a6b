/**
 * The options of async I/O, and the validated spec the runtime builds the async wait operator
 * from (carried on the graph node).
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { AsyncFailure } from './async-function.ts';
import type { KeySelector, OutputTag } from './functions.ts';

/** How failed requests are retried: exponential backoff, optionally with jitter. */
export interface AsyncRetryOptions {
  /** Calls per record in total, the first included (3: the first call and two retries). */
  readonly maxAttempts: number;
  /** Wait before the first retry, in ms (default 100). */
  readonly initialBackoffMs?: number;
  /** Upper bound of any wait, in ms (default 10000). */
  readonly maxBackoffMs?: number;
  /** Factor between consecutive waits (default 2). */
  readonly multiplier?: number;
  /**
   * Fraction in [0, 1] by which a wait is randomly shortened (0.2: somewhere between 80% and 100%
   * of the computed wait). Default 0, so that backoff is deterministic.
   */
  readonly jitter?: number;
  /** Whether an error is worth retrying; default: every error is. */
  retryOn?(error: unknown): boolean;
}

/** Options of `AsyncDataStream.orderedWait` and `unorderedWait`. */
export interface AsyncWaitOptions<IN> {
  /** Requests in flight at most, results waiting to be emitted included (default 100). */
  readonly capacity?: number;
  /**
   * Time a record may take from its first call to its final result, retries and backoff included
   * (as in Flink). On expiry the running call is aborted and `fn.timeout` gives the result; without
   * it the timeout is a failure. Default: no timeout.
   */
  readonly timeoutMs?: number;
  /** Retries of failed calls; default: none. */
  readonly retry?: AsyncRetryOptions;
  /**
   * What a request that failed for good (after retries, or timed out without fallback) does:
   * `'fail'` (default) fails the task; an OutputTag receives `{ input, error, ... }` on that side
   * output and the job keeps running.
   */
  readonly onFailure?: 'fail' | OutputTag<AsyncFailure<IN>>;
}

/** Options of `AsyncDataStream.unorderedWait`. */
export interface UnorderedAsyncWaitOptions<IN> extends AsyncWaitOptions<IN> {
  /**
   * Keeps input order per key: a record is only invoked once the previous in-flight record with the
   * same key has completed, while records of other keys overtake freely. `true` uses the key of
   * the keyed stream the operator is applied to.
   */
  readonly orderedByKey?: ((input: IN) => KeyValue) | true;
}

/** Retry settings with defaults filled in. */
export interface AsyncRetrySpec {
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly multiplier: number;
  readonly jitter: number;
  readonly retryOn: ((error: unknown) => boolean) | undefined;
}

/** The validated settings of an async wait operator. */
export interface AsyncWaitSpec {
  /** `ordered`: results leave in input order; `unordered`: as they complete, within watermarks. */
  readonly mode: 'ordered' | 'unordered';
  readonly capacity: number;
  readonly timeoutMs: number | undefined;
  readonly retry: AsyncRetrySpec | undefined;
  /** Side output id for failed requests; undefined fails the task. */
  readonly failureTag: string | undefined;
  /** Key of per-key ordering in unordered mode. */
  readonly keyOf: KeySelector<unknown> | undefined;
}

/** Default `capacity`. */
export const DEFAULT_ASYNC_CAPACITY = 100;

/** Validates options into a spec; throws an Error naming the bad option. */
export function asyncWaitSpec<IN>(
  mode: 'ordered' | 'unordered',
  options: UnorderedAsyncWaitOptions<IN>,
  keyOf: KeySelector<unknown> | undefined,
): AsyncWaitSpec {
  const capacity = options.capacity ?? DEFAULT_ASYNC_CAPACITY;
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`async I/O: capacity must be a positive integer, got ${capacity}`);
  const timeoutMs = options.timeoutMs;
  if (timeoutMs !== undefined && !(timeoutMs > 0 && Number.isFinite(timeoutMs))) throw new Error(`async I/O: timeoutMs must be a positive number, got ${timeoutMs}`);
  const onFailure = options.onFailure ?? 'fail';
  return {
    mode,
    capacity,
    timeoutMs,
    retry: options.retry === undefined ? undefined : retrySpec(options.retry),
    failureTag: onFailure === 'fail' ? undefined : onFailure.id,
    keyOf,
  };
}

function retrySpec(retry: AsyncRetryOptions): AsyncRetrySpec {
  const spec: AsyncRetrySpec = {
    maxAttempts: retry.maxAttempts,
    initialBackoffMs: retry.initialBackoffMs ?? 100,
    maxBackoffMs: retry.maxBackoffMs ?? 10_000,
    multiplier: retry.multiplier ?? 2,
    jitter: retry.jitter ?? 0,
    retryOn: retry.retryOn?.bind(retry),
  };
  if (!Number.isSafeInteger(spec.maxAttempts) || spec.maxAttempts < 1) throw new Error(`async I/O: retry.maxAttempts must be a positive integer, got ${spec.maxAttempts}`);
  if (!(spec.initialBackoffMs >= 0)) throw new Error(`async I/O: retry.initialBackoffMs must be >= 0, got ${spec.initialBackoffMs}`);
  if (!(spec.maxBackoffMs >= spec.initialBackoffMs)) throw new Error(`async I/O: retry.maxBackoffMs must be >= initialBackoffMs, got ${spec.maxBackoffMs}`);
  if (!(spec.multiplier >= 1)) throw new Error(`async I/O: retry.multiplier must be >= 1, got ${spec.multiplier}`);
  if (!(spec.jitter >= 0 && spec.jitter <= 1)) throw new Error(`async I/O: retry.jitter must be in [0, 1], got ${spec.jitter}`);
  return spec;
}
