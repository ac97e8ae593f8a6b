/**
 * Test helpers for async I/O: an operator under the harness, a function whose calls the test
 * resolves by hand, and a way to let promise callbacks run and their mail be processed.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { AsyncFunction, AsyncInvokeContext } from '../../../client/api/async-function.ts';
import { asyncWaitSpec, type UnorderedAsyncWaitOptions } from '../../../client/api/async-wait-options.ts';
import type { KeySelector } from '../../../client/api/functions.ts';
import { deferred, type Deferred } from '../../../common/async.ts';
import { AsyncWaitOperator } from '../../../taskmanager/operators/async-wait-operator.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';

/** Opens an async wait operator with the given mode and options. */
export function openAsync<IN, OUT>(
  fn: AsyncFunction<IN, OUT>,
  mode: 'ordered' | 'unordered',
  options: UnorderedAsyncWaitOptions<IN> = {},
  before?: (op: AsyncWaitOperator) => void,
): Promise<OperatorHarness<AsyncWaitOperator>> {
  const keyOf = typeof options.orderedByKey === 'function' ? (options.orderedByKey as KeySelector<unknown>) : undefined;
  const spec = asyncWaitSpec(mode, options, keyOf);
  return OperatorHarness.open((setup) => {
    const op = new AsyncWaitOperator(setup, fn as AsyncFunction<unknown, unknown>, spec);
    before?.(op);
    return op;
  });
}

/** Lets settled promises run their callbacks, then runs the mail they posted, until quiet. */
export async function settle(h: OperatorHarness): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await nextMacrotask();
    h.runMails();
  }
}

/** One call the test controls. */
export interface PendingCall<IN> {
  readonly input: IN;
  readonly ctx: AsyncInvokeContext;
  readonly result: Deferred<unknown>;
}

/**
 * An async function whose every call waits until the test resolves or rejects it; it records the
 * calls, and the most calls ever running at once.
 */
export class ManualAsyncFunction<IN, OUT> implements AsyncFunction<IN, OUT> {
  readonly calls: PendingCall<IN>[] = [];
  running = 0;
  maxRunning = 0;

  constructor(private readonly fallback?: (input: IN) => OUT[] | OUT) {
    if (fallback) this.timeout = fallback;
  }

  timeout?: (input: IN) => OUT[] | OUT;

  asyncInvoke(input: IN, ctx: AsyncInvokeContext): Promise<OUT[] | OUT> {
    const result = deferred<unknown>();
    this.calls.push({ input, ctx, result });
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const done = (): void => {
      this.running--;
    };
    result.promise.then(done, done);
    ctx.signal.addEventListener('abort', () => result.reject(ctx.signal.reason), { once: true });
    return result.promise as Promise<OUT[] | OUT>;
  }

  /** The latest call for `input`. */
  call(input: IN): PendingCall<IN> {
    for (let i = this.calls.length - 1; i >= 0; i--) if (this.calls[i]!.input === input) return this.calls[i]!;
    throw new Error(`no call for ${String(input)}`);
  }

  /** Resolves the latest call for `input`. */
  resolve(input: IN, value: unknown): void {
    this.call(input).result.resolve(value);
  }

  /** Rejects the latest call for `input`. */
  reject(input: IN, error: unknown): void {
    this.call(input).result.reject(error);
  }

  /** The inputs called so far, in call order. */
  get inputs(): IN[] {
    return this.calls.map((c) => c.input);
  }
}
