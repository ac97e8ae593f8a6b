/** The runtime context handed to user functions: where they run, and keyed state on keyed streams. */
import type { KeyedStateStore, MapStateDescriptor, MapStateKey, RuntimeContext, ValueStateDescriptor } from '../../client/runtime.ts';
import type { KeyValue } from '../../common/key-groups.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { QueryableStates } from '../state/queryable-states.ts';

/** Where an operator subtask runs: the runtime context without its state getters. */
export type SubtaskInfo = Omit<RuntimeContext, keyof KeyedStateStore>;

/** Reads a handle's value under `key`, then puts the backend's current key back. */
function underKey<T>(backend: KeyedStateBackend, key: KeyValue, read: () => T): T {
  const previous = backend.currentKey;
  backend.setCurrentKey(key);
  try {
    return read();
  } finally {
    if (previous !== undefined) backend.setCurrentKey(previous);
  }
}

/**
 * Builds a runtime context; its state getters delegate to `state`, or throw when there is none. A
 * value or map state whose descriptor names itself `queryable` is registered in `queryable`.
 */
export function runtimeContext(info: SubtaskInfo, state: KeyedStateBackend | undefined, queryable?: QueryableStates): RuntimeContext {
  const store = (): KeyedStateBackend => {
    if (!state) throw new Error(`${info.taskName}: keyed state is only available on a keyed stream; apply keyBy first`);
    return state;
  };
  return {
    ...info,
    getState: <T>(d: ValueStateDescriptor<T>) => {
      const backend = store();
      const handle = backend.getState(d);
      if (queryable && d.queryable !== undefined) queryable.register(d.queryable, (key) => underKey(backend, key, () => handle.value()));
      return handle;
    },
    getListState: (d) => store().getListState(d),
    getMapState: <K extends MapStateKey, V>(d: MapStateDescriptor<K, V>) => {
      const backend = store();
      const handle = backend.getMapState(d);
      if (queryable && d.queryable !== undefined) {
        queryable.register(d.queryable, (key) => underKey(backend, key, () => (handle.isEmpty() ? undefined : Object.fromEntries(handle.entries()))));
      }
      return handle;
    },
    getReducingState: (d) => store().getReducingState(d),
    getAggregatingState: (d) => store().getAggregatingState(d),
  };
}
