/** Output order of async I/O: ordered, unordered, per key, and around watermarks. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AsyncWaitOperator } from '../../../taskmanager/operators/async-wait-operator.ts';
import type { OperatorHarness } from '../../support/operator-harness.ts';
import { ManualAsyncFunction, openAsync, settle } from './async-test-kit.ts';

let harness: OperatorHarness<AsyncWaitOperator> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/**
 * Resolves each call in the order of its latency, letting the operator run between two answers, as
 * requests with those latencies would complete, without racing real timers.
 */
async function answerByLatency(h: OperatorHarness, fn: ManualAsyncFunction<number, string>, latencies: readonly number[]) {
  const order = latencies.map((latency, n) => ({ latency, n })).sort((a, b) => a.latency - b.latency);
  for (const { n } of order) {
    fn.resolve(n, `r${n}`);
    await settle(h);
  }
}

describe('async wait: output order', () => {
  const latencies = [40, 5, 25, 1, 15];

  it('ordered mode emits in input order whatever the latencies', async () => {
    const fn = new ManualAsyncFunction<number, string>();
    harness = await openAsync(fn, 'ordered');
    for (let n = 0; n < latencies.length; n++) harness.processElement(n, 1000 + n);
    await answerByLatency(harness, fn, latencies);
    expect(harness.values()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(harness.output.records.map((r) => r.timestamp)).toEqual([1000, 1001, 1002, 1003, 1004]);
  });

  it('unordered mode emits as requests complete, keeping each input timestamp', async () => {
    const fn = new ManualAsyncFunction<number, string>();
    harness = await openAsync(fn, 'unordered');
    for (let n = 0; n < latencies.length; n++) harness.processElement(n, 1000 + n);
    await answerByLatency(harness, fn, latencies);
    expect(harness.values()).toEqual(['r3', 'r1', 'r4', 'r2', 'r0']);
    expect(harness.output.records.map((r) => r.timestamp)).toEqual([1003, 1001, 1004, 1002, 1000]);
  });

  it('ordered mode holds a completed result until the earlier ones are out', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'ordered');
    harness.processElement('a');
    harness.processElement('b');
    fn.resolve('b', 'B');
    await settle(harness);
    expect(harness.values()).toEqual([]);
    expect(harness.operator.snapshotInFlight()).toEqual(['a', 'b']);
    fn.resolve('a', 'A');
    await settle(harness);
    expect(harness.values()).toEqual(['A', 'B']);
  });

  it('emits every element of an array result, nothing for undefined or [], and wrapped arrays as one record', async () => {
    const fn = new ManualAsyncFunction<number, unknown>();
    harness = await openAsync(fn, 'ordered');
    for (const n of [1, 2, 3, 4]) harness.processElement(n, n);
    fn.resolve(1, ['x', 'y']);
    fn.resolve(2, undefined);
    fn.resolve(3, []);
    fn.resolve(4, [[7, 8]]);
    await settle(harness);
    expect(harness.output.records).toEqual([
      { value: 'x', timestamp: 1 },
      { value: 'y', timestamp: 1 },
      { value: [7, 8], timestamp: 4 },
    ]);
  });

  it('orderedByKey keeps input order within a key while other keys overtake', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'unordered', { orderedByKey: (s) => s.split(':')[0]! });
    for (const s of ['a:1', 'b:1', 'a:2', 'b:2', 'a:3']) harness.processElement(s);
    expect(fn.inputs).toEqual(['a:1', 'b:1']);
    fn.resolve('b:1', 'b:1');
    await settle(harness);
    expect(fn.inputs).toEqual(['a:1', 'b:1', 'b:2']);
    fn.resolve('b:2', 'b:2');
    await settle(harness);
    expect(harness.values()).toEqual(['b:1', 'b:2']);
    fn.resolve('a:1', 'a:1');
    await settle(harness);
    expect(fn.inputs).toEqual(['a:1', 'b:1', 'b:2', 'a:2']);
    fn.resolve('a:2', 'a:2');
    await settle(harness);
    fn.resolve('a:3', 'a:3');
    await settle(harness);
    expect(harness.values()).toEqual(['b:1', 'b:2', 'a:1', 'a:2', 'a:3']);
    expect(fn.maxRunning).toBe(2);
  });

  it('orderedByKey tells keys apart by value and type (1 and "1" are different keys)', async () => {
    const fn = new ManualAsyncFunction<{ k: string | number; n: number }, number>();
    harness = await openAsync(fn, 'unordered', { orderedByKey: (r) => r.k });
    const records = [{ k: 1, n: 0 }, { k: '1', n: 1 }, { k: 1, n: 2 }];
    for (const r of records) harness.processElement(r);
    expect(fn.inputs.map((r) => r.n)).toEqual([0, 1]);
  });
});

describe('async wait: watermarks', () => {
  it('unordered mode never lets a result cross a watermark, and forwards the watermark once all before it left', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'unordered');
    const events: string[] = [];
    const output = harness.output;
    const collect = output.collect.bind(output);
    const emitWatermark = output.emitWatermark.bind(output);
    output.collect = (v, t) => (events.push(String(v)), collect(v, t));
    output.emitWatermark = (w) => (events.push(`W${w}`), emitWatermark(w));

    harness.processElement('a', 1);
    harness.processElement('b', 2);
    harness.processWatermark(10);
    harness.processElement('c', 11);
    harness.processElement('d', 12);
    harness.processWatermark(20);
    harness.processElement('e', 21);

    fn.resolve('e', 'E');
    fn.resolve('c', 'C');
    fn.resolve('b', 'B');
    await settle(harness);
    expect(events).toEqual(['B']);
    fn.resolve('d', 'D');
    await settle(harness);
    expect(events).toEqual(['B']);
    fn.resolve('a', 'A');
    await settle(harness);
    expect(events).toEqual(['B', 'A', 'W10', 'C', 'D', 'W20', 'E']);
  });

  it('unordered mode forwards a watermark at once when nothing is in flight', async () => {
    harness = await openAsync(new ManualAsyncFunction<string, string>(), 'unordered');
    harness.processWatermark(5);
    harness.processWatermark(4);
    expect(harness.output.watermarks).toEqual([5]);
  });

  it('ordered mode emits a watermark after the results of the records before it', async () => {
    const fn = new ManualAsyncFunction<string, string>();
    harness = await openAsync(fn, 'ordered');
    harness.processElement('a', 1);
    harness.processWatermark(10);
    harness.processElement('b', 11);
    fn.resolve('b', 'B');
    await settle(harness);
    expect(harness.output.watermarks).toEqual([]);
    fn.resolve('a', 'A');
    await settle(harness);
    expect(harness.values()).toEqual(['A', 'B']);
    expect(harness.output.watermarks).toEqual([10]);
  });
});
