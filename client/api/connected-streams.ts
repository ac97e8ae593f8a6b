/** The implementations of ConnectedStreams and KeyedConnectedStreams (declared in streams.ts): `a.connect(b)`. */
import type { KeyValue } from '../../common/key-groups.ts';
import type { CoProcessFunction, KeyedCoProcessFunction } from './co-process-functions.ts';
import type { StreamInput } from './stream-input.ts';
import type { ConnectedStreams, DataStream, KeyedConnectedStreams } from './streams.ts';
import { addTwoInputOperator } from './two-input.ts';

/** Two streams for one two-input operator: see ConnectedStreams. */
export class ConnectedStreamsImpl<A, B> implements ConnectedStreams<A, B> {
  /** `first` becomes input 0 of the operator, `second` input 1. */
  constructor(
    protected readonly first: StreamInput<A>,
    protected readonly second: StreamInput<B>,
  ) {}

  keyBy<K extends KeyValue = KeyValue>(key1: (value: A) => K, key2: (value: B) => K): KeyedConnectedStreams<A, B, K> {
    return new KeyedConnectedStreamsImpl<A, B, K>(this.first.keyBy(key1), this.second.keyBy(key2));
  }

  process<O>(fn: CoProcessFunction<A, B, O>): DataStream<O> {
    return addTwoInputOperator<O>(this.first, this.second, 'coProcess', 'Co-Process', { fn });
  }
}

/** Two streams keyed alike: see KeyedConnectedStreams. */
export class KeyedConnectedStreamsImpl<A, B, K extends KeyValue = KeyValue> extends ConnectedStreamsImpl<A, B> implements KeyedConnectedStreams<A, B, K> {
  override process<O>(fn: KeyedCoProcessFunction<K, A, B, O>): DataStream<O> {
    return addTwoInputOperator<O>(this.first, this.second, 'keyedCoProcess', 'Keyed Co-Process', { fn });
  }
}
