/** A stream broadcast with broadcast state descriptors: the input of the broadcast state pattern. */
import type { DataStream } from './data-stream.ts';
import type { MapStateDescriptor, MapStateKey } from './state.ts';

/** The settings of a (keyed) broadcast process node: the broadcast states it may use. */
export interface BroadcastProcessSpec {
  readonly descriptors: readonly MapStateDescriptor<MapStateKey, unknown>[];
}

/**
 * A stream sent to every subtask of the operator it is connected to, together with the broadcast
 * states that operator keeps. Connect another stream to it with `stream.connect(broadcastStream)`.
 */
export class BroadcastStream<T> {
  /** @internal */
  constructor(
    /** @internal The stream, already repartitioned as broadcast. */ readonly stream: DataStream<T>,
    /** @internal */ readonly descriptors: readonly MapStateDescriptor<MapStateKey, unknown>[],
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
