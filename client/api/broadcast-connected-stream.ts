/** A stream connected to a broadcast stream: `stream.connect(stream2.broadcast(descriptor))`. */
import type { KeyValue } from '../../common/key-groups.ts';
import type { BroadcastProcessFunction, KeyedBroadcastProcessFunction } from './broadcast-functions.ts';
import type { BroadcastProcessSpec, BroadcastStream } from './broadcast-stream.ts';
import type { DataStream, KeyedStream } from './data-stream.ts';
import { addTwoInputOperator } from './two-input.ts';

/**
 * A non-keyed stream (input 0) and a broadcast stream (input 1), to be consumed by a
 * BroadcastProcessFunction.
 */
export class BroadcastConnectedStream<A, B> {
  /** @internal */
  constructor(
    /** @internal */ readonly nonBroadcast: DataStream<A>,
    /** @internal */ readonly broadcast: BroadcastStream<B>,
  ) {}

  /** Applies a function that evaluates records against the broadcast state. */
  process<O>(fn: BroadcastProcessFunction<A, B, O>): DataStream<O> {
    return this.add<O>('broadcastProcess', 'Broadcast Process', fn);
  }

  /** @internal */
  protected add<O>(kind: 'broadcastProcess' | 'keyedBroadcastProcess', name: string, fn: unknown): DataStream<O> {
    const spec: BroadcastProcessSpec = { descriptors: this.broadcast.descriptors };
    return addTwoInputOperator<O>(this.nonBroadcast as DataStream<unknown>, this.broadcast.stream as DataStream<unknown>, kind, name, { fn, spec });
  }
}

/** A keyed stream (input 0) and a broadcast stream (input 1): adds keyed state and timers on the keyed side. */
export class KeyedBroadcastConnectedStream<A, B, K extends KeyValue = KeyValue> extends BroadcastConnectedStream<A, B> {
  /** @internal */
  constructor(nonBroadcast: KeyedStream<A, K>, broadcast: BroadcastStream<B>) {
    super(nonBroadcast, broadcast);
  }

  /**
   * Applies a keyed function that evaluates records against the broadcast state. A plain
   * BroadcastProcessFunction fits too (its contexts are a subset).
   */
  override process<O>(fn: KeyedBroadcastProcessFunction<K, A, B, O>): DataStream<O> {
    return this.add<O>('keyedBroadcastProcess', 'Keyed Broadcast Process', fn);
  }
}
