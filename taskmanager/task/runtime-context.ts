/** The runtime context handed to user functions: where they run, and keyed state on keyed streams. */
import type { KeyedStateStore, RuntimeContext } from '../../client/runtime.ts';

/** Where an operator subtask runs: the runtime context without its state getters. */
export type SubtaskInfo = Omit<RuntimeContext, keyof KeyedStateStore>;

/** Builds a runtime context; its state getters delegate to `state`, or throw when there is none. */
export function runtimeContext(info: SubtaskInfo, state: KeyedStateStore | undefined): RuntimeContext {
  const store = (): KeyedStateStore => {
    if (!state) throw new Error(`${info.taskName}: keyed state is only available on a keyed stream; apply keyBy first`);
    return state;
  };
  return {
    ...info,
    getState: (d) => store().getState(d),
    getListState: (d) => store().getListState(d),
    getMapState: (d) => store().getMapState(d),
    getReducingState: (d) => store().getReducingState(d),
    getAggregatingState: (d) => store().getAggregatingState(d),
  };
}
