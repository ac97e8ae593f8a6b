/** Two streams connected into one operator with two inputs: `a.connect(b)`. */
import type { KeyValue } from '../../common/key-groups.ts';
import type { CoProcessFunction, KeyedCoProcessFunction } from './co-process-functions.ts';
import type { DataStream, KeyedStream } from './data-stream.ts';
import { addTwoInputOperator } from './two-input.ts';

/**
 * Two streams, possibly of different types, that one operator will consume: the first as input 0,
 * the second as input 1. Records keep the partitioning each stream asked for.
 */
export class ConnectedStreams<A, B> {
  /** @internal */
  constructor(
    /** @internal */ readonly first: DataStream<A>,
    /** @internal */ readonly second: DataStream<B>,
  ) {}

  /** Partitions both streams by key, so that records of either input with equal keys meet in one subtask. */
  keyBy<K extends KeyValue = KeyValue>(key1: (value: A) => K, key2: (value: B) => K): KeyedConnectedStreams<A, B, K> {
    return new KeyedConnectedStreams<A, B, K>(this.first.keyBy(key1), this.second.keyBy(key2));
  }

  /** Applies a function with one method per input. */
  process<O>(fn: CoProcessFunction<A, B, O>): DataStream<O> {
    return addTwoInputOperator<O>(this.first as DataStream<unknown>, this.second as DataStream<unknown>, 'coProcess', 'Co-Process', { fn });
  }
}

/** Two streams keyed alike: their operator has keyed state and timers shared by both inputs. */
export class KeyedConnectedStreams<A, B, K extends KeyValue = KeyValue> extends ConnectedStreams<A, B> {
  /** @internal */
  constructor(first: KeyedStream<A, K>, second: KeyedStream<B, K>) {
    super(first, second);
  }

  /**
   * Applies a keyed function: per-key state and timers, seen by records of both inputs. A plain
   * CoProcessFunction fits too (its contexts are a subset).
   */
  override process<O>(fn: KeyedCoProcessFunction<K, A, B, O>): DataStream<O> {
    return addTwoInputOperator<O>(this.first as DataStream<unknown>, this.second as DataStream<unknown>, 'keyedCoProcess', 'Keyed Co-Process', { fn });
  }
}
