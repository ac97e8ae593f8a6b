/** One input record of the async wait operator, from arrival until its result has left. */
import type { AsyncFailure } from '../../../client/runtime.ts';
import type { Cancellable } from '../processing-time-scheduler.ts';
import type { KeyId } from '../../state/state-key-layout.ts';

/**
 * Where a request is: `waiting` for an earlier record of its key, `running` a call, in `backoff`
 * before a retry, `done` with a result to emit, or `failed` (the task is failing).
 */
export type RequestState = 'waiting' | 'running' | 'backoff' | 'done' | 'failed';

/** What a completed request emits: records on the main output, or a failure on the side output. */
export type RequestResult = { readonly values: readonly unknown[] } | { readonly failure: AsyncFailure<unknown> };

/** How one call's promise settled; recorded by the promise callback, applied in the task. */
export type Settlement = { readonly attempt: number; readonly ok: true; readonly value: unknown } | { readonly attempt: number; readonly ok: false; readonly error: unknown };

/** The mutable record of one request; only the operator, in the task's thread of control, changes it. */
export class AsyncRequest {
  state: RequestState = 'waiting';
  /** Calls made so far; the running call's number while running. */
  attempt = 0;
  /** Aborts the running call. */
  controller: AbortController | undefined;
  /** The running call's outcome, once its promise settled and until the task applied it. */
  settled: Settlement | undefined;
  cancelTimeout: Cancellable | undefined;
  cancelRetry: Cancellable | undefined;
  result: RequestResult | undefined;

  constructor(
    readonly input: unknown,
    readonly timestamp: number,
    /** The ordering key (its `KeyId`) when records of one key must keep their order. */
    readonly key: KeyId | undefined,
  ) {}
}

/**
 * The records a resolved value stands for: each element of an array, nothing for undefined,
 * otherwise the value itself.
 */
export function resultValues(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined ? [] : [value];
}
