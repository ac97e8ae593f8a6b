/**
 * What a TaskManager runs of the client: the user-facing contracts its operators call (function,
 * state, window and trigger interfaces), the operator specs the DataStream API leaves in the
 * graph, and the API a job bundle is bound to as `sluice`. It is the only module of `client/` that
 * `taskmanager/` may import (the import check enforces it), so this list is the whole surface the
 * runtime depends on, in the manner of nats.js's `internal_mod.ts`.
 */
import * as api from './index.ts';

/** The public API (`sluice`), which each TaskManager binds job bundles to. */
export const jobApi: object = api;

export {
  MALFORMED,
  type Collector,
  type FilterFunction,
  type FlatMapFunction,
  type KeyedProcessContext,
  type KeyedProcessFunction,
  type KeySelector,
  type MapFunction,
  type OnTimerContext,
  type OutputTag,
  type ProcessFunction,
  type RichFunction,
  type RuntimeContext,
  type TimeDomain,
  type TimerService,
} from './api/functions.ts';
export {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
  type AggregateFunction,
  type AggregatingState,
  type KeyedStateStore,
  type ListState,
  type MapState,
  type MapStateKey,
  type ReduceFunction,
  type ReducingState,
  type StateDescriptor,
  type StateTtlConfig,
  type ValueState,
} from './api/state.ts';
export type { AsyncFailure, AsyncFunction } from './api/async-function.ts';
export type { AsyncRetrySpec, AsyncWaitSpec } from './api/async-wait-options.ts';
export type {
  BroadcastContext,
  BroadcastProcessFunction,
  BroadcastState,
  KeyedBroadcastOnTimerContext,
  KeyedBroadcastProcessFunction,
  ReadOnlyBroadcastState,
} from './api/broadcast-functions.ts';
export type { BroadcastProcessSpec } from './api/broadcast-stream.ts';
export type { CoProcessFunction, KeyedCoProcessFunction } from './api/co-process-functions.ts';
export type { IntervalJoinSpec } from './api/interval-join.ts';
export type { ProcessJoinContext, ProcessJoinFunction } from './api/join-functions.ts';
export type { TimestampAssigner, WatermarkStrategy, WatermarkStrategySpec } from './api/watermark-strategy.ts';
export { GLOBAL_WINDOW, windowMaxTimestamp, type GlobalWindow, type Window } from './api/windowing/global-window.ts';
export { TimeWindow } from './api/windowing/time-window.ts';
export {
  isMergingAssigner,
  type FixedSizeWindowAssigner,
  type MergingWindowAssigner,
  type WindowAssigner,
  type WindowAssignerContext,
} from './api/windowing/window-assigner.ts';
export {
  isWindowPartial,
  type LocalAggregateEnvelope,
  type LocalWindowAggregateSpec,
  type UnfoldedRecord,
  type WindowPartial,
} from './api/windowing/local-window-aggregation.ts';
export type { ProcessWindowContext } from './api/windowing/process-window-function.ts';
export type { AnyProcessWindowFunction, WindowFunctionSpec, WindowSpec } from './api/windowing/window-spec.ts';
export { EventTimeTrigger } from './api/windowing/triggers/event-time-trigger.ts';
export { ProcessingTimeTrigger } from './api/windowing/triggers/processing-time-trigger.ts';
export { TriggerResult, type OnMergeContext, type Trigger } from './api/windowing/triggers/trigger.ts';
