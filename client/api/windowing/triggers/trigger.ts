/**
 * Triggers decide when a window's function runs (fires) and when its contents are dropped
 * (purged). They run per element and per timer; their own state (a count, say) is keyed state in
 * the window's namespace, reached through the context.
 */
import type { AggregatingStateDescriptor, KeyedStateStore, ListStateDescriptor, ReducingStateDescriptor } from '../../state.ts';
import type { Window } from '../global-window.ts';

/** What a trigger decides: run the window function (fire), drop the contents (purge), both, or neither. */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';

/** The trigger results, and tests on them. */
export const TriggerResult = {
  CONTINUE: 'CONTINUE',
  FIRE: 'FIRE',
  PURGE: 'PURGE',
  FIRE_AND_PURGE: 'FIRE_AND_PURGE',
  /** Whether the window function should run. */
  isFire(result: TriggerResult): boolean {
    return result === 'FIRE' || result === 'FIRE_AND_PURGE';
  },
  /** Whether the window contents should be dropped. */
  isPurge(result: TriggerResult): boolean {
    return result === 'PURGE' || result === 'FIRE_AND_PURGE';
  },
} as const;

/**
 * What a trigger sees: clocks, timers of the current key and window, and keyed state in the
 * window's namespace (the state getters return handles valid for the current call).
 */
export interface TriggerContext extends KeyedStateStore {
  currentProcessingTime(): number;
  /** The operator's watermark; -Infinity before the first. */
  currentWatermark(): number;
  /** Calls the trigger's `onEventTime` for this window once the watermark reaches `time`. */
  registerEventTimeTimer(time: number): void;
  /** Calls the trigger's `onProcessingTime` for this window once the clock reaches `time`. */
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/** The context of `onMerge`: the merged windows' trigger state can be folded into the new window. */
export interface OnMergeContext extends TriggerContext {
  /** Folds the state under `descriptor` of every merged window into the new window's. */
  mergePartitionedState<T>(descriptor: ListStateDescriptor<T> | ReducingStateDescriptor<T>): void;
  mergePartitionedState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): void;
}

/** Decides when windows fire and purge. */
export interface Trigger<T, W extends Window> {
  /** An element was added to `window`. */
  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  /** An event-time timer of `window` fired. */
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  /** A processing-time timer of `window` fired. */
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  /** Whether the trigger supports merging windows (sessions); it then implements `onMerge`. */
  canMerge?(): boolean;
  /** Windows were merged into `window`: re-register timers and merge state. */
  onMerge?(window: W, ctx: OnMergeContext): void;
  /** The window is gone: delete the trigger's timers and state of it. */
  clear(window: W, ctx: TriggerContext): void;
}
