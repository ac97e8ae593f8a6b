/**
 * Keyed state in one namespace (a window's, or the void namespace of global state). Handles are
 * shared per state name, as in Flink: each getter points the handle at this store's namespace and
 * returns it, so a handle is valid until the next getter call for the same name.
 */
import type { AggregatingState, AggregatingStateDescriptor, KeyedStateStore, ListState, ListStateDescriptor, MapState, MapStateDescriptor, MapStateKey, ReducingState, ReducingStateDescriptor, ValueState, ValueStateDescriptor } from '../../../client/runtime.ts';
import { VOID_NAMESPACE, type KeyedStateBackend } from '../../state/keyed-state-backend.ts';

/** See the module comment. */
export class NamespacedStateStore implements KeyedStateStore {
  /** The namespace handles are pointed at; the operator sets it before user calls. */
  namespace = VOID_NAMESPACE;

  constructor(protected readonly backend: KeyedStateBackend) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    const handle = this.backend.getInternalValueState(descriptor);
    handle.setCurrentNamespace(this.namespace);
    return handle;
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    const handle = this.backend.getInternalListState(descriptor);
    handle.setCurrentNamespace(this.namespace);
    return handle;
  }

  getMapState<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> {
    const handle = this.backend.getInternalMapState(descriptor);
    handle.setCurrentNamespace(this.namespace);
    return handle;
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    const handle = this.backend.getInternalReducingState(descriptor);
    handle.setCurrentNamespace(this.namespace);
    return handle;
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    const handle = this.backend.getInternalAggregatingState(descriptor);
    handle.setCurrentNamespace(this.namespace);
    return handle;
  }
}
