/** AsyncDataStream builds an asyncWait node whose spec carries the validated options. */
import { describe, expect, it } from 'vitest';
import { AsyncDataStream } from '../../../client/api/async-data-stream.ts';
import type { AsyncFailure } from '../../../client/api/async-function.ts';
import type { AsyncWaitSpec } from '../../../client/api/async-wait-options.ts';
import { StreamExecutionEnvironment } from '../../../client/api/environment.ts';
import { OutputTag } from '../../../client/api/functions.ts';
import { buildJobPlan } from '../../../common/graph/job-plan.ts';
import { fromCollection } from '../../../connectors/collection/collection-source.ts';
import { CollectSink } from '../../../connectors/sinks/collect-sink.ts';
import { OPERATOR_FACTORIES } from '../../../taskmanager/operators/operator-factories.ts';

const fn = { asyncInvoke: async (n: number) => String(n) };

function numbers(env: StreamExecutionEnvironment) {
  return env.fromSource(fromCollection([1, 2, 3]), 'numbers');
}

describe('AsyncDataStream', () => {
  it('adds an asyncWait operator with defaults, chained after its input', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const out = AsyncDataStream.orderedWait(numbers(env), fn);
    out.sinkTo(new CollectSink());
    const node = env.graph.nodes.find((n) => n.kind === 'asyncWait')!;
    expect(node.name).toBe('Async Wait (ordered)');
    expect(node.fn).toBe(fn);
    expect(node.spec).toEqual({ mode: 'ordered', capacity: 100, timeoutMs: undefined, retry: undefined, failureTag: undefined, keyOf: undefined } satisfies AsyncWaitSpec);
    const { jobGraph } = buildJobPlan('test', env.graph, { parallelism: 2, maxParallelism: undefined });
    expect(jobGraph.vertices.map((v) => v.operators.map((o) => o.kind))).toEqual([['source', 'asyncWait', 'sink']]);
    expect(OPERATOR_FACTORIES.asyncWait).toBeDefined();
  });

  it('carries every option, and a side output of failures can be consumed', () => {
    const env = new StreamExecutionEnvironment();
    const failed = new OutputTag<AsyncFailure<number>>('failed');
    const retryOn = (): boolean => true;
    const out = AsyncDataStream.unorderedWait(numbers(env), fn, {
      capacity: 7,
      timeoutMs: 500,
      retry: { maxAttempts: 3, initialBackoffMs: 10, retryOn },
      onFailure: failed,
      orderedByKey: (n) => n % 2,
    });
    out.getSideOutput(failed).sinkTo(new CollectSink());
    const spec = env.graph.nodes.find((n) => n.kind === 'asyncWait')!.spec as AsyncWaitSpec;
    expect(spec).toMatchObject({ mode: 'unordered', capacity: 7, timeoutMs: 500, failureTag: 'failed' });
    expect(spec.retry).toMatchObject({ maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 10_000, multiplier: 2, jitter: 0 });
    expect(spec.retry?.retryOn?.(new Error())).toBe(true);
    expect(spec.keyOf?.(3)).toBe(1);
  });

  it('orderedByKey: true uses the key of a keyed stream, and needs one', () => {
    const env = new StreamExecutionEnvironment();
    AsyncDataStream.unorderedWait(
      numbers(env).keyBy((n) => `k${n}`),
      fn,
      { orderedByKey: true },
    );
    expect((env.graph.nodes.at(-1)!.spec as AsyncWaitSpec).keyOf?.(4)).toBe('k4');
    expect(() => AsyncDataStream.unorderedWait(numbers(env), fn, { orderedByKey: true })).toThrow(/needs a keyed stream/);
  });

  it('rejects invalid options', () => {
    const env = new StreamExecutionEnvironment();
    const s = numbers(env);
    expect(() => AsyncDataStream.orderedWait(s, fn, { capacity: 0 })).toThrow(/capacity/);
    expect(() => AsyncDataStream.orderedWait(s, fn, { timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => AsyncDataStream.orderedWait(s, fn, { retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
    expect(() => AsyncDataStream.orderedWait(s, fn, { retry: { maxAttempts: 2, initialBackoffMs: 100, maxBackoffMs: 10 } })).toThrow(/maxBackoffMs/);
    expect(() => AsyncDataStream.orderedWait(s, fn, { retry: { maxAttempts: 2, multiplier: 0.5 } })).toThrow(/multiplier/);
    expect(() => AsyncDataStream.orderedWait(s, fn, { retry: { maxAttempts: 2, jitter: 2 } })).toThrow(/jitter/);
  });
});
