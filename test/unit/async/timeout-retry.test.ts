/** Timeouts, retries with backoff, and what a request that fails for good does. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncFailure } from '../../../client/api/async-function.ts';
import { OutputTag } from '../../../client/api/functions.ts';
import type { AsyncWaitOperator } from '../../../taskmanager/operators/async-wait-operator.ts';
import { retryBackoffMs } from '../../../taskmanager/operators/async/retry-backoff.ts';
import type { OperatorHarness } from '../../support/operator-harness.ts';
import { ManualAsyncFunction, openAsync, settle } from './async-test-kit.ts';

let harness: OperatorHarness<AsyncWaitOperator> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const FAILED = new OutputTag<AsyncFailure<string>>('failed');

describe('async wait: timeouts', () => {
  it('emits the fallback result on timeout and aborts the call', async () => {
    const fn = new ManualAsyncFunction<string, string>((input) => [`fallback:${input}`]);
    harness = await openAsync(fn, 'ordered', { timeoutMs: 100 });
    harness.processElement('slow', 7);
    harness.processElement('fast', 8);
    fn.resolve('fast', 'FAST');
    await settle(harness);
    harness.setProcessingTime(99);
    expect(harness.values()).toEqual([]);
    harness.setProcessingTime(100);
    expect(harness.output.records).toEqual([
      { value: 'fallback:slow', timestamp: 7 },
      { value: 'FAST', timestamp: 8 },
    ]);
    expect(fn.call('slow').ctx.signal.aborted).toBe(true);
    expect((fn.call('slow').ctx.signal.reason as Error).name).toBe('AsyncTimeoutError');
    fn.resolve('slow', 'too late');
    await settle(harness);
    expect(harness.values()).toEqual(['fallback:slow', 'FAST']);
  });

  it('cancels the timeout when the call completes in time', async () => {
    const fn = new ManualAsyncFunction<string, string>(() => 'fallback');
    harness = await openAsync(fn, 'unordered', { timeoutMs: 100 });
    harness.processElement('x');
    fn.resolve('x', 'X');
    await settle(harness);
    harness.setProcessingTime(1000);
    expect(harness.values()).toEqual(['X']);
    expect(fn.call('x').ctx.signal.aborted).toBe(false);
  });

  it('sends a timed-out record to the failure side output without a fallback, and keeps running', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'unordered', { timeoutMs: 50, onFailure: FAILED });
    harness.processElement('slow', 3);
    harness.setProcessingTime(20);
    harness.processElement('ok', 4);
    harness.setProcessingTime(50);
    expect(harness.sideValues('failed')).toEqual([{ input: 'slow', error: 'async request timed out after 50 ms', attempts: 1, timedOut: true }]);
    expect(harness.output.side.get('failed')?.[0]?.timestamp).toBe(3);
    fn.resolve('ok', 'OK');
    await settle(harness);
    harness.setProcessingTime(1000);
    expect(harness.values()).toEqual(['OK']);
    expect(harness.sideValues('failed')).toHaveLength(1);
  });

  it('fails the task on a timeout without fallback by default', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'ordered', { timeoutMs: 50 });
    harness.processElement('slow');
    expect(() => harness!.setProcessingTime(50)).toThrow(/async request failed after 1 attempt: async request timed out after 50 ms/);
  });

  it('treats a throwing fallback as a failure', async () => {
    const fn = new ManualAsyncFunction<string, string>(() => {
      throw new Error('no fallback for you');
    });
    harness = await openAsync(fn, 'ordered', { timeoutMs: 50, onFailure: FAILED });
    harness.processElement('slow');
    harness.setProcessingTime(50);
    expect(harness.sideValues<AsyncFailure<string>>('failed')[0]).toMatchObject({ input: 'slow', error: 'no fallback for you', timedOut: true });
  });

  it('bounds the whole request, retries included', async () => {
    const fn = new ManualAsyncFunction<string, string>(() => 'gave up');
    harness = await openAsync(fn, 'ordered', { timeoutMs: 250, retry: { maxAttempts: 10, initialBackoffMs: 100, multiplier: 1 } });
    harness.processElement('x');
    fn.reject('x', new Error('e1'));
    await settle(harness);
    harness.setProcessingTime(100);
    expect(fn.calls).toHaveLength(2);
    fn.reject('x', new Error('e2'));
    await settle(harness);
    harness.setProcessingTime(249);
    expect(fn.calls).toHaveLength(3);
    harness.setProcessingTime(250);
    expect(harness.values()).toEqual(['gave up']);
    expect(fn.calls[2]!.ctx.signal.aborted).toBe(true);
    harness.setProcessingTime(1000);
    expect(fn.calls).toHaveLength(3);
  });
});

describe('async wait: retries', () => {
  it('retries with exponential backoff and succeeds on the third attempt', async () => {
    const attempts: { attempt: number; at: number }[] = [];
    const fn = {
      asyncInvoke: async (input: string, ctx: { attempt: number }) => {
        attempts.push({ attempt: ctx.attempt, at: harness!.clock.now() });
        if (ctx.attempt < 3) throw new Error(`flaky ${ctx.attempt}`);
        return `${input}@${ctx.attempt}`;
      },
    };
    harness = await openAsync(fn, 'ordered', { retry: { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1000, multiplier: 2 } });
    harness.processElement('x', 5);
    await settle(harness);
    harness.setProcessingTime(99);
    expect(attempts).toHaveLength(1);
    harness.setProcessingTime(100);
    await settle(harness);
    expect(attempts).toHaveLength(2);
    harness.setProcessingTime(299);
    expect(attempts).toHaveLength(2);
    harness.setProcessingTime(300);
    await settle(harness);
    expect(attempts).toEqual([
      { attempt: 1, at: 0 },
      { attempt: 2, at: 100 },
      { attempt: 3, at: 300 },
    ]);
    expect(harness.output.records).toEqual([{ value: 'x@3', timestamp: 5 }]);
  });

  it('sends the record to the side output once the attempts are used up', async () => {
    const fn = { asyncInvoke: async (_: string, ctx: { attempt: number }): Promise<string> => Promise.reject(new Error(`down ${ctx.attempt}`)) };
    harness = await openAsync(fn, 'unordered', { retry: { maxAttempts: 2, initialBackoffMs: 10 }, onFailure: FAILED });
    harness.processElement('x');
    await settle(harness);
    harness.setProcessingTime(10);
    await settle(harness);
    expect(harness.sideValues('failed')).toEqual([{ input: 'x', error: 'down 2', attempts: 2, timedOut: false }]);
  });

  it('does not retry errors retryOn rejects, and fails the task by default', async () => {
    let calls = 0;
    const fn = {
      asyncInvoke: async (): Promise<string> => {
        calls++;
        throw Object.assign(new Error('bad request'), { status: 400 });
      },
    };
    harness = await openAsync(fn, 'ordered', { retry: { maxAttempts: 5, retryOn: (e) => (e as { status: number }).status >= 500 } });
    harness.processElement('x');
    await expect(settle(harness)).rejects.toThrow(/failed after 1 attempt: bad request/);
    expect(calls).toBe(1);
  });

  it('treats a synchronous throw from asyncInvoke like a rejection', async () => {
    let calls = 0;
    const fn = {
      asyncInvoke: (input: string, ctx: { attempt: number }): Promise<string> => {
        calls++;
        if (ctx.attempt === 1) throw new Error('sync');
        return Promise.resolve(input);
      },
    };
    harness = await openAsync(fn, 'ordered', { retry: { maxAttempts: 2, initialBackoffMs: 0 } });
    harness.processElement('x');
    await settle(harness);
    harness.setProcessingTime(0);
    await settle(harness);
    expect(calls).toBe(2);
    expect(harness.values()).toEqual(['x']);
  });

  it('computes backoff exponentially, capped, with optional jitter', () => {
    const spec = { maxAttempts: 9, initialBackoffMs: 100, maxBackoffMs: 500, multiplier: 2, jitter: 0, retryOn: undefined };
    expect([1, 2, 3, 4, 5].map((a) => retryBackoffMs(spec, a))).toEqual([100, 200, 400, 500, 500]);
    expect(retryBackoffMs({ ...spec, jitter: 0.5 }, 2, () => 1)).toBe(100);
    expect(retryBackoffMs({ ...spec, jitter: 0.5 }, 2, () => 0)).toBe(200);
  });
});
