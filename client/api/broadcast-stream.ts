/** The implementation of BroadcastStream (declared in streams.ts): the input of the broadcast state pattern. */
import type { MapStateDescriptor, MapStateKey } from './state.ts';
import type { StreamInput } from './stream-input.ts';
import type { BroadcastStream, DataStream } from './streams.ts';

/** The settings of a (keyed) broadcast process node: the broadcast states it may use. */
export interface BroadcastProcessSpec {
  readonly descriptors: readonly MapStateDescriptor<MapStateKey, unknown>[];
}

/** A broadcast stream with its broadcast states: see BroadcastStream. */
export class BroadcastStreamImpl<T> implements BroadcastStream<T> {
  /** `stream` is already repartitioned as broadcast; the descriptors must be distinct map states without TTL. */
  constructor(
    readonly stream: DataStream<T> & StreamInput<T>,
    readonly descriptors: readonly MapStateDescriptor<MapStateKey, unknown>[],
  ) {
    const names = new Set<string>();
    for (const d of descriptors) {
      if (d.kind !== 'map') throw new Error(`broadcast state "${d.name}" needs a MapStateDescriptor`);
      if (d.ttl !== undefined) throw new Error(`broadcast state "${d.name}" cannot have a TTL`);
      if (names.has(d.name)) throw new Error(`broadcast state "${d.name}" is declared twice`);
      names.add(d.name);
    }
  }
}
