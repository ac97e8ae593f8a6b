/** The DataStream API: typed, fluent construction of the logical graph. */
import type { Sink } from '../../common/connector/sink.ts';
import type { KeyValue } from '../../common/key-groups.ts';
import type {
  FilterFunction,
  FlatMapFunction,
  KeyedProcessFunction,
  KeySelector,
  MapFunction,
  OutputTag,
  ProcessFunction,
} from './functions.ts';
import { BroadcastConnectedStream, KeyedBroadcastConnectedStream } from './broadcast-connected-stream.ts';
import { BroadcastStream } from './broadcast-stream.ts';
import { ConnectedStreams, KeyedConnectedStreams } from './connected-streams.ts';
import { IntervalJoin } from './interval-join.ts';
import type { MapStateDescriptor, MapStateKey } from './state.ts';
import type { OperatorKind, Partitioning, StreamGraph, StreamNode } from '../../common/graph/stream-graph.ts';
import type { WatermarkStrategy } from './watermark-strategy.ts';
import { countWindow } from './count-window.ts';
import { CoGroupedStreams } from './joins/co-grouped-streams.ts';
import { JoinedStreams } from './joins/joined-streams.ts';
import { WindowedStream } from './windowed-stream.ts';
import type { GlobalWindow, Window } from './windowing/global-window.ts';
import type { LocalWindowAggregationConfig } from './windowing/local-window-aggregation.ts';
import type { WindowAssigner } from './windowing/window-assigner.ts';

/** One upstream of a stream: a node's main or side output, with the distribution asked for. */
export interface Producer {
  readonly node: StreamNode;
  readonly partitioning: Partitioning;
  readonly keySelector?: KeySelector<unknown>;
  readonly sideOutput?: string;
}

/** The environment's settings as streams read them, at the time an operator is added. */
export interface StreamDefaults {
  parallelism(): number;
  localWindowAggregation(): LocalWindowAggregationConfig;
}

/** A stream of records of type T. */
export class DataStream<T> {
  /** @internal */
  constructor(
    /** @internal */ readonly graph: StreamGraph,
    /** @internal */ readonly producers: readonly Producer[],
    /** @internal */ readonly defaults: StreamDefaults,
  ) {}

  /** Applies a low-level function: any number of records out per record, side outputs. */
  process<R>(fn: ProcessFunction<T, R>): DataStream<R> {
    return this.transform<R>('process', 'Process', fn);
  }

  /**
   * Stamps records with event time and generates watermarks here, treating the stream as one
   * split. Prefer a strategy on the source, which keeps a watermark per split.
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T> {
    strategy.validate();
    return this.addOperator<T>('timestamps', 'Timestamps/Watermarks', { spec: strategy });
  }

  /** Applies a function to every record. */
  map<R>(fn: MapFunction<T, R>): DataStream<R> {
    return this.transform<R>('map', 'Map', fn);
  }

  /** Keeps the records for which `fn` returns true. */
  filter(fn: FilterFunction<T>): DataStream<T> {
    return this.transform<T>('filter', 'Filter', fn);
  }

  /** Emits zero or more records per record. */
  flatMap<R>(fn: FlatMapFunction<T, R>): DataStream<R> {
    return this.transform<R>('flatMap', 'FlatMap', fn);
  }

  /** Partitions the stream by key: records with equal keys reach the same subtask. */
  keyBy<K extends KeyValue = KeyValue>(selector: (value: T) => K): KeyedStream<T, K> {
    return new KeyedStream<T, K>(
      this.graph,
      this.producers.map((p) => ({ ...p, partitioning: 'hash', keySelector: selector as KeySelector<unknown> })),
      this.defaults,
    );
  }

  /** Merges streams of the same type into one. */
  union(...others: DataStream<T>[]): DataStream<T> {
    return new DataStream<T>(this.graph, [...this.producers, ...others.flatMap((o) => o.producers)], this.defaults);
  }

  /** Joins with another stream per key and window: `.where(k1).equalTo(k2).window(assigner).apply(fn)`. */
  join<B>(other: DataStream<B>): JoinedStreams<T, B> {
    return new JoinedStreams<T, B>(this, other);
  }

  /** Co-groups with another stream per key and window: `.where(k1).equalTo(k2).window(assigner).apply(fn)`. */
  coGroup<B>(other: DataStream<B>): CoGroupedStreams<T, B> {
    return new CoGroupedStreams<T, B>(this, other);
  }

  /** Distributes records round-robin over the next operator's subtasks. */
  rebalance(): DataStream<T> {
    return this.repartition('rebalance');
  }

  /** Sends every record to every subtask of the next operator. */
  broadcast(): DataStream<T>;
  /**
   * Broadcasts the stream together with the broadcast states it maintains, for the broadcast state
   * pattern: connect another stream to the result and process both with a broadcast function.
   */
  broadcast(...descriptors: [MapStateDescriptor<MapStateKey, unknown>, ...MapStateDescriptor<MapStateKey, unknown>[]]): BroadcastStream<T>;
  broadcast(...descriptors: MapStateDescriptor<MapStateKey, unknown>[]): DataStream<T> | BroadcastStream<T> {
    const stream = this.repartition('broadcast');
    return descriptors.length === 0 ? stream : new BroadcastStream<T>(stream, descriptors);
  }

  /**
   * Connects another stream: one operator then consumes this stream (input 0) and the other
   * (input 1), possibly of different types, sharing state. Connecting a BroadcastStream sets up
   * the broadcast state pattern.
   */
  connect<B>(other: BroadcastStream<B>): BroadcastConnectedStream<T, B>;
  connect<B>(other: DataStream<B>): ConnectedStreams<T, B>;
  connect<B>(other: DataStream<B> | BroadcastStream<B>): ConnectedStreams<T, B> | BroadcastConnectedStream<T, B> {
    return other instanceof BroadcastStream ? new BroadcastConnectedStream<T, B>(this, other) : new ConnectedStreams<T, B>(this, other);
  }

  /** Sends records to the subtask with the same index; needs equal parallelism. */
  forward(): DataStream<T> {
    return this.repartition('forward');
  }

  /** The records an operator emitted to a side output. */
  getSideOutput<S>(tag: OutputTag<S>): DataStream<S> {
    const node = this.singleNode('getSideOutput');
    return new DataStream<S>(this.graph, [{ node, partitioning: 'forward', sideOutput: tag.id }], this.defaults);
  }

  /** Writes the stream to a sink. */
  sinkTo(sink: Sink<T>): DataStreamSink {
    const node = this.graph.addNode('sink', `Sink: ${sink.kind}`, { sink: sink as Sink<unknown> });
    this.feed(node, 0);
    return new DataStreamSink(node);
  }

  /** Names the operator that produces this stream, for plans, logs and metrics. */
  name(name: string): this {
    this.singleNode('name').name = name;
    return this;
  }

  /** Gives the producing operator a stable id, so that its state survives changes to the job. */
  uid(uid: string): this {
    this.singleNode('uid').uid = uid;
    return this;
  }

  /** Sets the parallelism of the producing operator. */
  setParallelism(parallelism: number): this {
    this.singleNode('setParallelism').parallelism = parallelism;
    return this;
  }

  /** Sets the max parallelism (number of key groups) of the producing operator. */
  setMaxParallelism(maxParallelism: number): this {
    this.singleNode('setMaxParallelism').maxParallelism = maxParallelism;
    return this;
  }

  /** @internal Adds an operator fed by this stream. */
  protected transform<R>(kind: OperatorKind, name: string, fn: unknown): DataStream<R> {
    return this.addOperator<R>(kind, name, { fn });
  }

  /** @internal Adds an operator fed by this stream (input 0) and returns its output stream. */
  addOperator<R>(kind: OperatorKind, name: string, parts: { fn?: unknown; spec?: unknown }): DataStream<R> {
    const node = this.graph.addNode(kind, name, parts);
    this.feed(node, 0);
    return this.streamOf<R>(node);
  }

  /** @internal The stream a node of this graph emits on its main output. */
  streamOf<R>(node: StreamNode): DataStream<R> {
    return new DataStream<R>(this.graph, [{ node, partitioning: 'forward' }], this.defaults);
  }

  /** @internal Connects this stream to logical input `inputIndex` of `node`. */
  feed(node: StreamNode, inputIndex: number): void {
    for (const p of this.producers) {
      this.graph.addEdge(p.node, node, { partitioning: p.partitioning, keySelector: p.keySelector, sideOutput: p.sideOutput, inputIndex });
    }
  }

  private repartition(partitioning: Partitioning): DataStream<T> {
    return new DataStream<T>(this.graph, this.producers.map((p) => ({ node: p.node, sideOutput: p.sideOutput, partitioning })), this.defaults);
  }

  private singleNode(what: string): StreamNode {
    const only = this.producers[0];
    if (this.producers.length !== 1 || !only || only.sideOutput !== undefined || only.partitioning !== 'forward') {
      throw new Error(`${what}() applies to an operator; call it right after the operator, not after union, keyBy or a repartitioning`);
    }
    return only.node;
  }
}

/** A stream partitioned by key. Operators applied to it see all records of a key in one subtask. */
export class KeyedStream<T, K extends KeyValue = KeyValue> extends DataStream<T> {
  /** Applies a keyed process function: keyed state, timers, side outputs. */
  override process<R>(fn: KeyedProcessFunction<K, T, R>): DataStream<R> {
    return this.transform<R>('keyedProcess', 'KeyedProcess', fn);
  }

  /**
   * Connects another stream. With a KeyedStream the result is keyed (state and timers shared by
   * both inputs); with a BroadcastStream it is the keyed broadcast state pattern.
   */
  override connect<B>(other: BroadcastStream<B>): KeyedBroadcastConnectedStream<T, B, K>;
  override connect<B>(other: KeyedStream<B, K>): KeyedConnectedStreams<T, B, K>;
  override connect<B>(other: DataStream<B>): ConnectedStreams<T, B>;
  override connect<B>(other: DataStream<B> | BroadcastStream<B>): ConnectedStreams<T, B> | BroadcastConnectedStream<T, B> {
    if (other instanceof BroadcastStream) return new KeyedBroadcastConnectedStream<T, B, K>(this, other);
    if (other instanceof KeyedStream) return new KeyedConnectedStreams<T, B, K>(this, other as KeyedStream<B, K>);
    return new ConnectedStreams<T, B>(this, other);
  }

  /** Joins with another keyed stream on key and an event-time interval; choose it with `between`. */
  intervalJoin<B>(other: KeyedStream<B, K>): IntervalJoin<T, B, K> {
    return new IntervalJoin<T, B, K>(this, other);
  }

  /** Cuts the stream into windows per key; finish with `reduce`, `aggregate` or `process`. */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this, assigner);
  }

  /** Count windows: every `size` elements of a key, or with `slide` every `slide` elements over the last `size`. */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    return countWindow(this, size, slide);
  }

  /** @internal The key selector records are partitioned by. */
  get keySelector(): KeySelector<T> {
    return this.producers[0]!.keySelector as KeySelector<T>;
  }
}

/** The end of a pipeline: a sink operator, which can still be named and sized. */
export class DataStreamSink {
  /** @internal */
  constructor(private readonly node: StreamNode) {}

  /** Names the sink operator. */
  name(name: string): this {
    this.node.name = name;
    return this;
  }

  /** Gives the sink a stable id. */
  uid(uid: string): this {
    this.node.uid = uid;
    return this;
  }

  /** Sets the sink's parallelism. */
  setParallelism(parallelism: number): this {
    this.node.parallelism = parallelism;
    return this;
  }
}
