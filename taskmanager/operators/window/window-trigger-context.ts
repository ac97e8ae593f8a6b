/**
 * The trigger context of a window operator: one instance, pointed at the current window's
 * namespace before every trigger call (the backend's current key is already the window's key).
 */
import type { AggregatingStateDescriptor, ListStateDescriptor, OnMergeContext, ReducingStateDescriptor } from '../../../client/runtime.ts';
import type { InternalTimerService, KeyedStateBackend } from '../../state/keyed-state-backend.ts';
import { NamespacedStateStore } from './namespaced-state-store.ts';

const NONE: readonly string[] = [];

/** See the module comment. Timers and state go to `namespace`, the window's. */
export class WindowTriggerContext extends NamespacedStateStore implements OnMergeContext {
  /** During `onMerge`: the namespaces of the windows merged into the current one. */
  mergedNamespaces: readonly string[] = NONE;

  constructor(
    backend: KeyedStateBackend,
    private readonly timers: InternalTimerService,
    private readonly now: () => number,
    private readonly armProcessingTimers: () => void,
  ) {
    super(backend);
  }

  /** Ends an `onMerge` call. */
  resetMerged(): void {
    this.mergedNamespaces = NONE;
  }

  currentProcessingTime(): number {
    return this.now();
  }

  currentWatermark(): number {
    return this.timers.currentWatermark;
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(this.namespace, time);
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(this.namespace, time);
    this.armProcessingTimers();
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(this.namespace, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(this.namespace, time);
  }

  mergePartitionedState(descriptor: { readonly kind: string; readonly name: string }): void {
    const sources = this.mergedNamespaces;
    if (sources.length === 0) return;
    const backend = this.backend;
    switch (descriptor.kind) {
      case 'list':
        backend.getInternalListState(descriptor as ListStateDescriptor<unknown>).mergeNamespaces(this.namespace, sources);
        return;
      case 'reducing':
        backend.getInternalReducingState(descriptor as ReducingStateDescriptor<unknown>).mergeNamespaces(this.namespace, sources);
        return;
      case 'aggregating':
        backend
          .getInternalAggregatingState(descriptor as AggregatingStateDescriptor<unknown, unknown, unknown>)
          .mergeNamespaces(this.namespace, sources);
        return;
      default:
        throw new Error(`trigger state ${JSON.stringify(descriptor.name)}: only list, reducing and aggregating state can be merged`);
    }
  }
}
