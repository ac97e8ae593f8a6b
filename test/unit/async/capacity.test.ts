/** Capacity of async I/O: bounded concurrency, the blocked flag, and buffering the rest of a batch. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncWaitOperator } from '../../../taskmanager/operators/async-wait-operator.ts';
import type { OperatorHarness } from '../../support/operator-harness.ts';
import { ManualAsyncFunction, openAsync, settle } from './async-test-kit.ts';

let harness: OperatorHarness<AsyncWaitOperator> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('async wait: capacity', () => {
  for (const mode of ['ordered', 'unordered'] as const) {
    it(`never runs more than capacity calls at once (${mode})`, async () => {
      let running = 0;
      let maxRunning = 0;
      const fn = {
        asyncInvoke: async (n: number) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, n % 3));
          running--;
          return n;
        },
      };
      harness = await openAsync(fn, mode, { capacity: 4 });
      const op = harness.operator;
      let fed = 0;
      while (harness.values().length < 50) {
        while (fed < 50 && !op.blocked) harness.processElement(fed++);
        await settle(harness);
      }
      expect(maxRunning).toBe(4);
      expect([...harness.values<number>()].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });
  }

  it('is blocked at capacity, buffers the rest of the batch and starts it as slots free up', async () => {
    const fn = new ManualAsyncFunction<number, number>();
    harness = await openAsync(fn, 'ordered', { capacity: 2 });
    const op = harness.operator;
    let unblocked = false;

    harness.processElement(1);
    expect(op.blocked).toBe(false);
    harness.processElement(2);
    expect(op.blocked).toBe(true);
    void op.whenUnblocked().then(() => (unblocked = true));
    harness.processElement(3);
    harness.processWatermark(100);
    harness.processElement(4);
    expect(fn.inputs).toEqual([1, 2]);
    expect(op.snapshotInFlight()).toEqual([1, 2, 3, 4]);

    fn.resolve(2, 20);
    await settle(harness);
    expect(fn.inputs).toEqual([1, 2]);
    expect(op.blocked).toBe(true);

    fn.resolve(1, 10);
    await settle(harness);
    expect(harness.values()).toEqual([10, 20]);
    expect(fn.inputs).toEqual([1, 2, 3, 4]);
    expect(op.blocked).toBe(true);
    expect(unblocked).toBe(false);

    fn.resolve(3, 30);
    await settle(harness);
    expect(op.blocked).toBe(false);
    expect(unblocked).toBe(true);
    expect(harness.output.watermarks).toEqual([100]);
    fn.resolve(4, 40);
    await settle(harness);
    expect(harness.values()).toEqual([10, 20, 30, 40]);
    expect(fn.maxRunning).toBe(2);
  });

  it('counts results held for order against capacity', async () => {
    const fn = new ManualAsyncFunction<number, number>();
    harness = await openAsync(fn, 'ordered', { capacity: 2 });
    harness.processElement(1);
    harness.processElement(2);
    fn.resolve(2, 2);
    await settle(harness);
    expect(harness.operator.blocked).toBe(true);
    harness.processElement(3);
    expect(fn.inputs).toEqual([1, 2]);
  });

  it('resolves whenUnblocked at once when there is room', async () => {
    harness = await openAsync(new ManualAsyncFunction<number, number>(), 'unordered', { capacity: 1 });
    await expect(harness.operator.whenUnblocked()).resolves.toBeUndefined();
  });
});
