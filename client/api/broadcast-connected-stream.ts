/**
 * The implementations of BroadcastConnectedStream and KeyedBroadcastConnectedStream (declared in
 * streams.ts): `stream.connect(stream2.broadcast(descriptor))`.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { BroadcastProcessFunction, KeyedBroadcastProcessFunction } from './broadcast-functions.ts';
import type { BroadcastProcessSpec, BroadcastStreamImpl } from './broadcast-stream.ts';
import type { StreamInput } from './stream-input.ts';
import type { BroadcastConnectedStream, DataStream, KeyedBroadcastConnectedStream } from './streams.ts';
import { addTwoInputOperator } from './two-input.ts';

/** A non-keyed stream and a broadcast stream: see BroadcastConnectedStream. */
export class BroadcastConnectedStreamImpl<A, B> implements BroadcastConnectedStream<A, B> {
  /** `nonBroadcast` becomes input 0 of the operator, the broadcast stream input 1. */
  constructor(
    private readonly nonBroadcast: StreamInput<A>,
    private readonly broadcast: BroadcastStreamImpl<B>,
  ) {}

  process<O>(fn: BroadcastProcessFunction<A, B, O>): DataStream<O> {
    return this.add<O>('broadcastProcess', 'Broadcast Process', fn);
  }

  /** Adds the two-input node of `kind` with the broadcast states as its spec. */
  protected add<O>(kind: 'broadcastProcess' | 'keyedBroadcastProcess', name: string, fn: unknown): DataStream<O> {
    const spec: BroadcastProcessSpec = { descriptors: this.broadcast.descriptors };
    return addTwoInputOperator<O>(this.nonBroadcast, this.broadcast.stream, kind, name, { fn, spec });
  }
}

/** A keyed stream and a broadcast stream: see KeyedBroadcastConnectedStream. */
export class KeyedBroadcastConnectedStreamImpl<A, B, K extends KeyValue = KeyValue>
  extends BroadcastConnectedStreamImpl<A, B>
  implements KeyedBroadcastConnectedStream<A, B, K>
{
  override process<O>(fn: KeyedBroadcastProcessFunction<K, A, B, O>): DataStream<O> {
    return this.add<O>('keyedBroadcastProcess', 'Keyed Broadcast Process', fn);
  }
}
