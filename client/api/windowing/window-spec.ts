/**
 * The definition of a window operator, as the `spec` of a 'window' node: everything the
 * TaskManager's window operator is built from.
 */
import type { AggregateFunction, ReduceFunction } from '../state.ts';
import type { Window } from './global-window.ts';
import type { ProcessWindowFunction } from './process-window-function.ts';
import type { Trigger } from './triggers/trigger.ts';
import type { WindowAssigner } from './window-assigner.ts';

/** A process window function of the runtime's erased types. */
export type AnyProcessWindowFunction = ProcessWindowFunction<unknown, unknown, unknown, Window>;

/** How a window's contents are kept and turned into results. */
export type WindowFunctionSpec =
  | { readonly kind: 'reduce'; readonly reduce: ReduceFunction<unknown>; readonly process?: AnyProcessWindowFunction }
  | {
      readonly kind: 'aggregate';
      readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
      readonly process?: AnyProcessWindowFunction;
    }
  | { readonly kind: 'process'; readonly process: AnyProcessWindowFunction };

/** See the module comment. */
export interface WindowSpec {
  readonly assigner: WindowAssigner<unknown, Window>;
  readonly trigger: Trigger<unknown, Window>;
  /** How long (ms of event time) after its end a window still accepts elements and re-fires. */
  readonly allowedLateness: number;
  /** The side output id late elements go to; undefined: they are dropped (and counted). */
  readonly lateDataTag: string | undefined;
  /** Keep only the last this many elements when the window fires (count windows with a slide). */
  readonly evictToCount: number | undefined;
  readonly fn: WindowFunctionSpec;
  /**
   * Whether the input comes from local window aggregates (see local-window-aggregation.ts): its
   * records are envelopes keyed by their first element.
   */
  readonly locallyAggregated?: boolean;
}
