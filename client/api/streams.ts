/**
 * The DataStream API as job authors see it: the stream types of the fluent API, which refer to
 * one another (`window()` gives a WindowedStream whose `aggregate()` gives a DataStream), declared
 * together as interfaces. Their implementations live in modules of their own that import this one
 * and never each other in a circle (in the manner of nats.js's `core.ts`).
 */
import type { Sink } from '../../common/connector/sink.ts';
import type { KeyValue } from '../../common/key-groups.ts';
import type { BroadcastProcessFunction, KeyedBroadcastProcessFunction } from './broadcast-functions.ts';
import type { CoProcessFunction, KeyedCoProcessFunction } from './co-process-functions.ts';
import type { FilterFunction, FlatMapFunction, KeyedProcessFunction, MapFunction, OutputTag, ProcessFunction } from './functions.ts';
import type { ProcessJoinFunction } from './join-functions.ts';
import type { CoGroupFunction, JoinFunction, TaggedUnion } from './joins/join-functions.ts';
import type { AggregateFunction, MapStateDescriptor, MapStateKey, ReduceFunction } from './state.ts';
import type { WatermarkStrategy } from './watermark-strategy.ts';
import type { GlobalWindow, Window } from './windowing/global-window.ts';
import type { ProcessWindowFunction } from './windowing/process-window-function.ts';
import type { Trigger } from './windowing/triggers/trigger.ts';
import type { WindowAssigner } from './windowing/window-assigner.ts';

/** A stream of records of type T. */
export interface DataStream<T> {
  /** Applies a low-level function: any number of records out per record, side outputs. */
  process<R>(fn: ProcessFunction<T, R>): DataStream<R>;

  /**
   * Stamps records with event time and generates watermarks here, treating the stream as one
   * split. Prefer a strategy on the source, which keeps a watermark per split.
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T>;

  /** Applies a function to every record. */
  map<R>(fn: MapFunction<T, R>): DataStream<R>;

  /** Keeps the records for which `fn` returns true. */
  filter(fn: FilterFunction<T>): DataStream<T>;

  /** Emits zero or more records per record. */
  flatMap<R>(fn: FlatMapFunction<T, R>): DataStream<R>;

  /** Partitions the stream by key: records with equal keys reach the same subtask. */
  keyBy<K extends KeyValue = KeyValue>(selector: (value: T) => K): KeyedStream<T, K>;

  /** Merges streams of the same type into one. */
  union(...others: DataStream<T>[]): DataStream<T>;

  /** Joins with another stream per key and window: `.where(k1).equalTo(k2).window(assigner).apply(fn)`. */
  join<B>(other: DataStream<B>): JoinedStreams<T, B>;

  /** Co-groups with another stream per key and window: `.where(k1).equalTo(k2).window(assigner).apply(fn)`. */
  coGroup<B>(other: DataStream<B>): CoGroupedStreams<T, B>;

  /** Distributes records round-robin over the next operator's subtasks. */
  rebalance(): DataStream<T>;

  /** Sends every record to every subtask of the next operator. */
  broadcast(): DataStream<T>;
  /**
   * Broadcasts the stream together with the broadcast states it maintains, for the broadcast state
   * pattern: connect another stream to the result and process both with a broadcast function.
   */
  broadcast(...descriptors: [MapStateDescriptor<MapStateKey, unknown>, ...MapStateDescriptor<MapStateKey, unknown>[]]): BroadcastStream<T>;

  /**
   * Connects another stream: one operator then consumes this stream (input 0) and the other
   * (input 1), possibly of different types, sharing state. Connecting a BroadcastStream sets up
   * the broadcast state pattern.
   */
  connect<B>(other: BroadcastStream<B>): BroadcastConnectedStream<T, B>;
  connect<B>(other: DataStream<B>): ConnectedStreams<T, B>;

  /** Sends records to the subtask with the same index; needs equal parallelism. */
  forward(): DataStream<T>;

  /** The records an operator emitted to a side output. */
  getSideOutput<S>(tag: OutputTag<S>): DataStream<S>;

  /** Writes the stream to a sink. */
  sinkTo(sink: Sink<T>): DataStreamSink;

  /** Names the operator that produces this stream, for plans, logs and metrics. */
  name(name: string): this;

  /** Gives the producing operator a stable id, so that its state survives changes to the job. */
  uid(uid: string): this;

  /** Sets the parallelism of the producing operator. */
  setParallelism(parallelism: number): this;

  /** Sets the max parallelism (number of key groups) of the producing operator. */
  setMaxParallelism(maxParallelism: number): this;
}

/** A stream partitioned by key. Operators applied to it see all records of a key in one subtask. */
export interface KeyedStream<T, K extends KeyValue = KeyValue> extends DataStream<T> {
  /** Applies a keyed process function: keyed state, timers, side outputs. */
  process<R>(fn: KeyedProcessFunction<K, T, R>): DataStream<R>;

  /**
   * Connects another stream. With a KeyedStream the result is keyed (state and timers shared by
   * both inputs); with a BroadcastStream it is the keyed broadcast state pattern.
   */
  connect<B>(other: BroadcastStream<B>): KeyedBroadcastConnectedStream<T, B, K>;
  connect<B>(other: KeyedStream<B, K>): KeyedConnectedStreams<T, B, K>;
  connect<B>(other: DataStream<B>): ConnectedStreams<T, B>;

  /** Joins with another keyed stream on key and an event-time interval; choose it with `between`. */
  intervalJoin<B>(other: KeyedStream<B, K>): IntervalJoin<T, B, K>;

  /** Cuts the stream into windows per key; finish with `reduce`, `aggregate` or `process`. */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W>;

  /** Count windows: every `size` elements of a key, or with `slide` every `slide` elements over the last `size`. */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow>;
}

/** The end of a pipeline: a sink operator, which can still be named and sized. */
export interface DataStreamSink {
  /** Names the sink operator. */
  name(name: string): this;

  /** Gives the sink a stable id. */
  uid(uid: string): this;

  /** Sets the sink's parallelism. */
  setParallelism(parallelism: number): this;
}

/**
 * A keyed stream cut into windows (`keyBy(...).window(assigner)` or `.countWindow(n)`): set the
 * trigger, lateness and late-data output, then finish it with `reduce`, `aggregate` or `process`,
 * which adds a 'window' operator whose spec carries the whole definition.
 */
export interface WindowedStream<T, K extends KeyValue, W extends Window> {
  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<T, W>): this;

  /**
   * Keeps each window's state `ms` of event time past its end: elements arriving meanwhile are
   * added and re-fire it (with the default trigger). Event-time windows only; default 0.
   */
  allowedLateness(ms: number): this;

  /** Sends elements that arrive after their windows were cleaned up to `tag` instead of dropping them. */
  sideOutputLateData(tag: OutputTag<T>): this;

  /** Folds each window's elements with `fn` as they arrive and emits the result when it fires. */
  reduce(fn: ReduceFunction<T>): DataStream<T>;
  /** Folds with `fn`, then hands the single result to `process` together with the window. */
  reduce<R>(fn: ReduceFunction<T>, process: ProcessWindowFunction<T, R, K, W>): DataStream<R>;

  /** Aggregates each window's elements incrementally and emits `getResult` when it fires. */
  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): DataStream<V>;
  /** Aggregates incrementally, then hands the single result to `process` together with the window. */
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, process: ProcessWindowFunction<V, R, K, W>): DataStream<R>;

  /** Keeps every element of a window and hands them all to `fn` when it fires. */
  process<R>(fn: ProcessWindowFunction<T, R, K, W>): DataStream<R>;
}

/**
 * Two streams, possibly of different types, that one operator will consume: the first as input 0,
 * the second as input 1. Records keep the partitioning each stream asked for.
 */
export interface ConnectedStreams<A, B> {
  /** Partitions both streams by key, so that records of either input with equal keys meet in one subtask. */
  keyBy<K extends KeyValue = KeyValue>(key1: (value: A) => K, key2: (value: B) => K): KeyedConnectedStreams<A, B, K>;

  /** Applies a function with one method per input. */
  process<O>(fn: CoProcessFunction<A, B, O>): DataStream<O>;
}

/** Two streams keyed alike: their operator has keyed state and timers shared by both inputs. */
export interface KeyedConnectedStreams<A, B, K extends KeyValue = KeyValue> extends ConnectedStreams<A, B> {
  /**
   * Applies a keyed function: per-key state and timers, seen by records of both inputs. A plain
   * CoProcessFunction fits too (its contexts are a subset).
   */
  process<O>(fn: KeyedCoProcessFunction<K, A, B, O>): DataStream<O>;
}

/**
 * A stream sent to every subtask of the operator it is connected to, together with the broadcast
 * states that operator keeps. Connect another stream to it with `stream.connect(broadcastStream)`.
 */
export interface BroadcastStream<T> {
  /** The broadcast records: the stream this was made from, repartitioned as broadcast. */
  readonly stream: DataStream<T>;
  /** The broadcast states the connected operator keeps, one per descriptor. */
  readonly descriptors: readonly MapStateDescriptor<MapStateKey, unknown>[];
}

/**
 * A non-keyed stream (input 0) and a broadcast stream (input 1), to be consumed by a
 * BroadcastProcessFunction.
 */
export interface BroadcastConnectedStream<A, B> {
  /** Applies a function that evaluates records against the broadcast state. */
  process<O>(fn: BroadcastProcessFunction<A, B, O>): DataStream<O>;
}

/** A keyed stream (input 0) and a broadcast stream (input 1): adds keyed state and timers on the keyed side. */
export interface KeyedBroadcastConnectedStream<A, B, K extends KeyValue = KeyValue> extends BroadcastConnectedStream<A, B> {
  /**
   * Applies a keyed function that evaluates records against the broadcast state. A plain
   * BroadcastProcessFunction fits too (its contexts are a subset).
   */
  process<O>(fn: KeyedBroadcastProcessFunction<K, A, B, O>): DataStream<O>;
}

/**
 * Two keyed streams about to be joined on key and event-time interval
 * (`left.intervalJoin(right).between(lower, upper)`); choose the interval with `between`.
 */
export interface IntervalJoin<A, B, K extends KeyValue = KeyValue> {
  /**
   * Matches right records with `left.ts + lowerMs <= right.ts <= left.ts + upperMs`. Bounds are
   * whole milliseconds and may be negative; `lowerMs` must not exceed `upperMs`.
   */
  between(lowerMs: number, upperMs: number): IntervalJoined<A, B, K>;
}

/**
 * An interval join with its bounds; refine them, then apply a ProcessJoinFunction. It pairs each
 * left record `a` with every right record `b` of the same key whose event time lies in
 * `[a.ts + lower, a.ts + upper]` (bounds inclusive unless made exclusive).
 */
export interface IntervalJoined<A, B, K extends KeyValue = KeyValue> {
  /** Excludes the lower bound: `right.ts > left.ts + lower`. */
  lowerBoundExclusive(): this;

  /** Excludes the upper bound: `right.ts < left.ts + upper`. */
  upperBoundExclusive(): this;

  /** Sends left records that arrive behind the watermark to a side output instead of dropping them. */
  sideOutputLeftLateData(tag: OutputTag<A>): this;

  /** Sends right records that arrive behind the watermark to a side output instead of dropping them. */
  sideOutputRightLateData(tag: OutputTag<B>): this;

  /** Calls `fn` for every matching pair; emitted records carry the later of the pair's timestamps. */
  process<O>(fn: ProcessJoinFunction<A, B, O>): DataStream<O>;
}

/**
 * Two streams to join (`a.join(b).where(keyA).equalTo(keyB).window(assigner).apply(fn)`, an inner
 * join of the records with equal keys in the same window); pick the first stream's key with `where`.
 */
export interface JoinedStreams<A, B> {
  /** The key of the first stream's records. */
  where<K extends KeyValue>(firstKey: (value: A) => K): JoinWhere<A, B, K>;
}

/** Joined streams with the first key; pick the second with `equalTo`. */
export interface JoinWhere<A, B, K extends KeyValue> {
  /** The key of the second stream's records; must equal the first's for records that match. */
  equalTo(secondKey: (value: B) => K): JoinEqualTo<A, B, K>;
}

/** Keyed joined streams; choose the windows with `window`. */
export interface JoinEqualTo<A, B, K extends KeyValue> {
  /** The windows both streams are cut into. */
  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<A, B>, W>): JoinWithWindow<A, B, K, W>;
}

/** Windowed joined streams: optionally a trigger and lateness, then `apply`. */
export interface JoinWithWindow<A, B, K extends KeyValue, W extends Window> {
  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<TaggedUnion<A, B>, W>): this;

  /** Keeps windows `ms` of event time past their end, re-firing them for late elements. */
  allowedLateness(ms: number): this;

  /** Emits `fn(a, b)` for every pair with equal keys in the same window. */
  apply<R>(fn: JoinFunction<A, B, R>): DataStream<R>;
}

/**
 * Two streams to co-group (`a.coGroup(b).where(keyA).equalTo(keyB).window(assigner).apply(fn)`:
 * both sides' records of each key and window together); pick the first stream's key with `where`.
 */
export interface CoGroupedStreams<A, B> {
  /** The key of the first stream's records. */
  where<K extends KeyValue>(firstKey: (value: A) => K): CoGroupWhere<A, B, K>;
}

/** Co-grouped streams with the first key; pick the second with `equalTo`. */
export interface CoGroupWhere<A, B, K extends KeyValue> {
  /** The key of the second stream's records; must equal the first's for records that match. */
  equalTo(secondKey: (value: B) => K): CoGroupEqualTo<A, B, K>;
}

/** Keyed co-grouped streams; choose the windows with `window`. */
export interface CoGroupEqualTo<A, B, K extends KeyValue> {
  /** The windows both streams are cut into. */
  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<A, B>, W>): CoGroupWithWindow<A, B, K, W>;
}

/** Windowed co-grouped streams: optionally a trigger and lateness, then `apply`. */
export interface CoGroupWithWindow<A, B, K extends KeyValue, W extends Window> {
  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<TaggedUnion<A, B>, W>): this;

  /** Keeps windows `ms` of event time past their end, re-firing them for late elements. */
  allowedLateness(ms: number): this;

  /**
   * Calls `fn` with both sides' elements of every key and window that has any; `name` (default
   * 'CoGroup') prefixes the names of the operators it adds.
   */
  apply<R>(fn: CoGroupFunction<A, B, R>, name?: string): DataStream<R>;
}
