/** The public API of Sluice, imported by job modules as `sluice`. */
export { StreamExecutionEnvironment, type EnvironmentOptions } from './api/environment.ts';
export type {
  DataStream,
  KeyedStream,
  DataStreamSink,
  WindowedStream,
  ConnectedStreams,
  KeyedConnectedStreams,
  BroadcastStream,
  BroadcastConnectedStream,
  KeyedBroadcastConnectedStream,
  IntervalJoin,
  IntervalJoined,
  JoinedStreams,
  JoinWhere,
  JoinEqualTo,
  JoinWithWindow,
  CoGroupedStreams,
  CoGroupWhere,
  CoGroupEqualTo,
  CoGroupWithWindow,
} from './api/streams.ts';
export { AsyncDataStream } from './api/async-data-stream.ts';
export type { AsyncFunction, AsyncInvokeContext, AsyncFailure } from './api/async-function.ts';
export type { AsyncWaitOptions, UnorderedAsyncWaitOptions, AsyncRetryOptions } from './api/async-wait-options.ts';
export {
  HttpLookupService,
  HttpLookupError,
  FileLookupService,
  CachedLookupService,
  lookupFromUri,
  type LookupKey,
  type LookupService,
  type HttpLookupOptions,
  type FileLookupOptions,
  type LookupCacheOptions,
  type LookupUriOptions,
} from '../connectors/lookup/index.ts';
export type { CoProcessFunction, KeyedCoProcessFunction } from './api/co-process-functions.ts';
export type {
  BroadcastProcessFunction,
  KeyedBroadcastProcessFunction,
  BroadcastState,
  ReadOnlyBroadcastState,
  BroadcastContext,
  ReadOnlyBroadcastContext,
  KeyedReadOnlyBroadcastContext,
  KeyedBroadcastOnTimerContext,
} from './api/broadcast-functions.ts';
export type { ProcessJoinFunction, ProcessJoinContext } from './api/join-functions.ts';
export { defineJob, JobArgs, type JobDefinition, type InputOptions } from './api/job-definition.ts';
export {
  OutputTag,
  MALFORMED,
  type MalformedRecord,
  type RuntimeContext,
  type Collector,
  type MapFunction,
  type FilterFunction,
  type FlatMapFunction,
  type KeySelector,
  type KeyGroupRange,
  type TimeDomain,
  type TimerService,
  type ProcessContext,
  type KeyedProcessContext,
  type OnTimerContext,
  type RichFunction,
  type ProcessFunction,
  type KeyedProcessFunction,
} from './api/functions.ts';
export {
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  type StateDescriptor,
  type StateTtlConfig,
  type TtlUpdateType,
  type ValueState,
  type ListState,
  type MapState,
  type MapStateKey,
  type ReducingState,
  type AggregatingState,
  type ReduceFunction,
  type AggregateFunction,
  type KeyedStateStore,
} from './api/state.ts';
export { WatermarkStrategy, type TimestampAssigner, type WatermarkStrategySpec } from './api/watermark-strategy.ts';
export { TimeWindow } from './api/windowing/time-window.ts';
export { GLOBAL_WINDOW, windowMaxTimestamp, type GlobalWindow, type Window } from './api/windowing/global-window.ts';
export type { WindowAssigner, MergingWindowAssigner, WindowAssignerContext, MergeCallback } from './api/windowing/window-assigner.ts';
export { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from './api/windowing/tumbling-windows.ts';
export { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from './api/windowing/sliding-windows.ts';
export { EventTimeSessionWindows, ProcessingTimeSessionWindows } from './api/windowing/session-windows.ts';
export { GlobalWindows } from './api/windowing/global-windows.ts';
export { TriggerResult, type Trigger, type TriggerContext, type OnMergeContext } from './api/windowing/triggers/trigger.ts';
export { EventTimeTrigger } from './api/windowing/triggers/event-time-trigger.ts';
export { ProcessingTimeTrigger } from './api/windowing/triggers/processing-time-trigger.ts';
export { CountTrigger } from './api/windowing/triggers/count-trigger.ts';
export { ContinuousEventTimeTrigger } from './api/windowing/triggers/continuous-event-time-trigger.ts';
export { ContinuousProcessingTimeTrigger } from './api/windowing/triggers/continuous-processing-time-trigger.ts';
export { PurgingTrigger } from './api/windowing/triggers/purging-trigger.ts';
export { NeverTrigger } from './api/windowing/triggers/never-trigger.ts';
export type { ProcessWindowFunction, ProcessWindowContext } from './api/windowing/process-window-function.ts';
export type { JoinFunction, CoGroupFunction, TaggedUnion } from './api/joins/join-functions.ts';
export { NO_TIMESTAMP, MIN_WATERMARK, MAX_WATERMARK } from '../common/time.ts';
export type { Source, SourceReader, SourceSplit, SourceOutput, SourceReaderContext, PollStatus } from '../common/connector/source.ts';
export type { Sink, SinkWriter, SinkContext } from '../common/connector/sink.ts';
export { assignToKeyGroup, computeOperatorIndexForKeyGroup, defaultMaxParallelism, hashKey, murmurHash, keyGroupRangeForOperator, type KeyValue } from '../common/key-groups.ts';
export {
  DataGenSource,
  SplitMixRandom,
  fromCollection,
  FileSource,
  FileSink,
  PrintSink,
  CollectSink,
  SlowSink,
  sourceFromUri,
  sinkFromUri,
  type DataGenOptions,
  type DataGenerator,
  type FileSourceOptions,
  type FileSinkOptions,
} from '../connectors/index.ts';
