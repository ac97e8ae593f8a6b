/** The DataStream API takes back only the streams an environment made, not look-alikes. */
import { describe, expect, it } from 'vitest';
import { AsyncDataStream, fromCollection, StreamExecutionEnvironment, type DataStream, type KeyedStream } from '../../client/index.ts';

const NOT_OURS = /expected a stream made by a StreamExecutionEnvironment/;

describe('a stream no environment made', () => {
  it('is rejected by union, connect, intervalJoin and async I/O without changing the graph', () => {
    const env = new StreamExecutionEnvironment();
    const numbers = env.fromSource(fromCollection([1, 2]), 'numbers');
    const copy = { ...numbers } as DataStream<number>;
    const keyedCopy = { ...numbers.keyBy((n) => n) } as KeyedStream<number, number>;
    const before = { nodes: env.graph.nodes.length, edges: env.graph.edges.length };
    expect(() => numbers.union(copy)).toThrow(NOT_OURS);
    expect(() => numbers.connect(copy)).toThrow(NOT_OURS);
    expect(() => numbers.keyBy((n) => n).connect(copy)).toThrow(NOT_OURS);
    expect(() => numbers.keyBy((n) => n).intervalJoin(keyedCopy)).toThrow(NOT_OURS);
    expect(() => AsyncDataStream.orderedWait(copy, { asyncInvoke: async (n: number) => n })).toThrow(NOT_OURS);
    expect({ nodes: env.graph.nodes.length, edges: env.graph.edges.length }).toEqual(before);
  });
});
