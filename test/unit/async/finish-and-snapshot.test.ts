/** Ending input with requests in flight, closing, and the in-flight snapshot and restore. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncFunction } from '../../../client/api/async-function.ts';
import { asyncWaitSpec } from '../../../client/api/async-wait-options.ts';
import { AsyncWaitOperator } from '../../../taskmanager/operators/async-wait-operator.ts';
import { ProcessingTimeService } from '../../../taskmanager/task/processing-time-service.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';
import { ManualAsyncFunction, openAsync, settle } from './async-test-kit.ts';

let harness: OperatorHarness<AsyncWaitOperator> | undefined;
const services: ProcessingTimeService[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const s of services.splice(0)) s.close();
});

/** An operator on a real wall-clock timer service whose mail nobody runs, like a task awaiting `finish`. */
function openOnWallClock(fn: AsyncFunction<unknown, unknown>, options: Parameters<typeof asyncWaitSpec>[1]): Promise<OperatorHarness<AsyncWaitOperator>> {
  const spec = asyncWaitSpec('ordered', options, undefined);
  return OperatorHarness.open((setup) => {
    const service = new ProcessingTimeService((mail) => setup.enqueue(mail));
    services.push(service);
    return new AsyncWaitOperator({ ...setup, processingTime: service }, fn, spec);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('async wait: finish', () => {
  it('emits everything in flight even when no mail is run, in order, and stale mail does nothing later', async () => {
    harness = await openAsync({ asyncInvoke: async (n: number) => (await sleep(20 - n * 3), [n, n * 10]) }, 'ordered');
    for (let n = 0; n < 5; n++) harness.processElement(n, n);
    harness.processWatermark(3);
    await harness.operator.finish();
    expect(harness.values()).toEqual([0, 0, 1, 10, 2, 20, 3, 30, 4, 40]);
    expect(harness.output.watermarks).toEqual([3]);
    expect(harness.mails.length).toBeGreaterThan(0);
    harness.runMails();
    expect(harness.values()).toHaveLength(10);
    expect(harness.operator.snapshotInFlight()).toEqual([]);
  });

  it('completes when the task does run mail while finish is pending', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'unordered');
    harness.processElement('a');
    harness.processElement('b');
    let finished = false;
    const finishing = harness.operator.finish().then(() => (finished = true));
    fn.resolve('b', 'B');
    await settle(harness);
    expect(finished).toBe(false);
    fn.resolve('a', 'A');
    while (!finished) await settle(harness);
    await finishing;
    expect(harness.values()).toEqual(['B', 'A']);
  });

  it('fires due timeouts itself (manual clock)', async () => {
    const fn = new ManualAsyncFunction<string, string>((s) => `late:${s}`);
    harness = await openAsync(fn, 'ordered', { timeoutMs: 100 });
    harness.processElement('x');
    let finished = false;
    const finishing = harness.operator.finish().then(() => (finished = true));
    await settle(harness);
    expect(finished).toBe(false);
    harness.setProcessingTime(100);
    await finishing;
    expect(harness.values()).toEqual(['late:x']);
  });

  it('fires timeouts and retries on the wall clock while the task runs no mail', async () => {
    const fn = {
      asyncInvoke: (s: string, ctx: { attempt: number; signal: AbortSignal }): Promise<string> =>
        s === 'hang' ? new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) : ctx.attempt < 3 ? Promise.reject(new Error('flaky')) : Promise.resolve(`${s}@${ctx.attempt}`),
      timeout: (s: string) => `fallback:${s}`,
    };
    harness = await openOnWallClock(fn as AsyncFunction<unknown, unknown>, { timeoutMs: 60, retry: { maxAttempts: 3, initialBackoffMs: 5 } });
    harness.processElement('hang');
    harness.processElement('retry');
    const started = Date.now();
    await harness.operator.finish();
    expect(harness.values()).toEqual(['fallback:hang', 'retry@3']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects when a request fails for good with onFailure "fail"', async () => {
    harness = await openAsync({ asyncInvoke: async (): Promise<string> => Promise.reject(new Error('boom')) }, 'ordered');
    harness.processElement('x');
    await expect(harness.operator.finish()).rejects.toThrow(/failed after 1 attempt: boom/);
  });

  it('close aborts the calls still in flight and ignores their late outcome', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'ordered');
    harness.processElement('x');
    const h = harness;
    harness = undefined;
    await h.close();
    expect(fn.call('x').ctx.signal.aborted).toBe(true);
    await settle(h);
    expect(h.values()).toEqual([]);
    expect(h.mails).toHaveLength(0);
  });
});

describe('async wait: in-flight snapshot and restore', () => {
  it('round-trips without loss or duplication', async () => {
    const first = new ManualAsyncFunction<number, string>();
    const h1 = await openAsync(first, 'ordered', { capacity: 3 });
    for (let n = 1; n <= 6; n++) h1.processElement(n, 100 + n);
    h1.processWatermark(50);
    first.resolve(2, 'r2');
    first.resolve(1, 'r1');
    await settle(h1);
    first.resolve(5, 'r5');
    await settle(h1);
    expect(h1.values()).toEqual(['r1', 'r2']);
    const inputs = h1.operator.snapshotInFlight();
    const timestamps = h1.operator.snapshotInFlightTimestamps();
    expect(inputs).toEqual([3, 4, 5, 6]);
    expect(timestamps).toEqual([103, 104, 105, 106]);
    first.resolve(3, 'r3');
    await h1.close();
    await settle(h1);
    expect(h1.values()).toEqual(['r1', 'r2']);

    const second = { asyncInvoke: async (n: number) => `r${n}` };
    harness = await openAsync(second, 'ordered', { capacity: 3 }, (op) => op.restoreInFlight(inputs, timestamps));
    expect(harness.operator.snapshotInFlight()).toEqual([3, 4, 5, 6]);
    await harness.operator.finish();
    const all = [...h1.output.records, ...harness.output.records];
    expect(all).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ value: `r${n}`, timestamp: 100 + n })));
  });

  it('restores after open ahead of new input, and reports restored inputs not yet started', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'ordered', { capacity: 1 }, (op) => expect(op.snapshotInFlight()).toEqual([]));
    harness.operator.restoreInFlight(['a', 'b']);
    harness.processElement('c');
    expect(harness.operator.snapshotInFlight()).toEqual(['a', 'b', 'c']);
    expect(harness.operator.snapshotInFlightTimestamps()).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    for (const s of ['a', 'b', 'c']) {
      fn.resolve(s, s.toUpperCase());
      await settle(harness);
    }
    expect(harness.values()).toEqual(['A', 'B', 'C']);
  });
});
