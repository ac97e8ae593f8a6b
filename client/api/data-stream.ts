/**
 * The implementations of DataStream and KeyedStream (declared in streams.ts): a stream is the
 * list of producers its records come from, and each operator applied to it adds a node fed by them
 * to the environment's graph.
 */
import type { Sink } from '../../common/connector/sink.ts';
import type { OperatorKind, Partitioning, StreamGraph, StreamNode } from '../../common/graph/stream-graph.ts';
import type { KeyValue } from '../../common/key-groups.ts';
import { BroadcastConnectedStreamImpl, KeyedBroadcastConnectedStreamImpl } from './broadcast-connected-stream.ts';
import { BroadcastStreamImpl } from './broadcast-stream.ts';
import { ConnectedStreamsImpl, KeyedConnectedStreamsImpl } from './connected-streams.ts';
import { countWindow } from './count-window.ts';
import { DataStreamSinkImpl } from './data-stream-sink.ts';
import type { FilterFunction, FlatMapFunction, KeyedProcessFunction, KeySelector, MapFunction, OutputTag, ProcessFunction } from './functions.ts';
import { IntervalJoinImpl } from './interval-join.ts';
import { CoGroupedStreamsImpl } from './joins/co-grouped-streams.ts';
import { JoinedStreamsImpl } from './joins/joined-streams.ts';
import type { MapStateDescriptor, MapStateKey } from './state.ts';
import type { OperatorParts, Producer, StreamDefaults, StreamInput } from './stream-input.ts';
import type {
  BroadcastConnectedStream,
  BroadcastStream,
  CoGroupedStreams,
  ConnectedStreams,
  DataStream,
  DataStreamSink,
  IntervalJoin,
  JoinedStreams,
  KeyedBroadcastConnectedStream,
  KeyedConnectedStreams,
  KeyedStream,
  WindowedStream,
} from './streams.ts';
import type { WatermarkStrategy } from './watermark-strategy.ts';
import { WindowedStreamImpl } from './windowed-stream.ts';
import type { GlobalWindow, Window } from './windowing/global-window.ts';
import type { WindowAssigner } from './windowing/window-assigner.ts';

/**
 * The implementation behind a stream a job hands back to the API (to union, connect or
 * interval-join it, or to apply async I/O): every DataStream is a DataStreamImpl made by an
 * environment, and a look-alike is rejected.
 */
export function implementationOf<T>(stream: DataStream<T> | BroadcastStream<T>): DataStreamImpl<T> {
  if (stream instanceof DataStreamImpl) return stream;
  throw new TypeError('expected a stream made by a StreamExecutionEnvironment: one from fromSource or from an operator applied to such a stream');
}

/** A stream of records of type T: see DataStream; it is also the StreamInput of the builders. */
export class DataStreamImpl<T> implements DataStream<T>, StreamInput<T> {
  constructor(
    readonly graph: StreamGraph,
    readonly producers: readonly Producer[],
    readonly defaults: StreamDefaults,
  ) {}

  process<R>(fn: ProcessFunction<T, R>): DataStream<R> {
    return this.transform<R>('process', 'Process', fn);
  }

  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T> {
    strategy.validate();
    return this.addOperator<T>('timestamps', 'Timestamps/Watermarks', { spec: strategy });
  }

  map<R>(fn: MapFunction<T, R>): DataStream<R> {
    return this.transform<R>('map', 'Map', fn);
  }

  filter(fn: FilterFunction<T>): DataStream<T> {
    return this.transform<T>('filter', 'Filter', fn);
  }

  flatMap<R>(fn: FlatMapFunction<T, R>): DataStream<R> {
    return this.transform<R>('flatMap', 'FlatMap', fn);
  }

  keyBy<K extends KeyValue = KeyValue>(selector: (value: T) => K): KeyedStreamImpl<T, K> {
    return new KeyedStreamImpl<T, K>(
      this.graph,
      this.producers.map((p) => ({ ...p, partitioning: 'hash', keySelector: selector as KeySelector<unknown> })),
      this.defaults,
    );
  }

  union(...others: DataStream<T>[]): DataStream<T> {
    return new DataStreamImpl<T>(this.graph, [...this.producers, ...others.flatMap((o) => implementationOf(o).producers)], this.defaults);
  }

  join<B>(other: DataStream<B>): JoinedStreams<T, B> {
    return new JoinedStreamsImpl<T, B>(this, other);
  }

  coGroup<B>(other: DataStream<B>): CoGroupedStreams<T, B> {
    return new CoGroupedStreamsImpl<T, B>(this, other);
  }

  rebalance(): DataStream<T> {
    return this.repartition('rebalance');
  }

  broadcast(): DataStream<T>;
  broadcast(...descriptors: [MapStateDescriptor<MapStateKey, unknown>, ...MapStateDescriptor<MapStateKey, unknown>[]]): BroadcastStream<T>;
  broadcast(...descriptors: MapStateDescriptor<MapStateKey, unknown>[]): DataStream<T> | BroadcastStream<T> {
    const stream = this.repartition('broadcast');
    return descriptors.length === 0 ? stream : new BroadcastStreamImpl<T>(stream, descriptors);
  }

  connect<B>(other: BroadcastStream<B>): BroadcastConnectedStream<T, B>;
  connect<B>(other: DataStream<B>): ConnectedStreams<T, B>;
  connect<B>(other: DataStream<B> | BroadcastStream<B>): ConnectedStreams<T, B> | BroadcastConnectedStream<T, B> {
    return other instanceof BroadcastStreamImpl ? new BroadcastConnectedStreamImpl<T, B>(this, other) : new ConnectedStreamsImpl<T, B>(this, implementationOf(other));
  }

  forward(): DataStream<T> {
    return this.repartition('forward');
  }

  getSideOutput<S>(tag: OutputTag<S>): DataStream<S> {
    const node = this.singleNode('getSideOutput');
    return new DataStreamImpl<S>(this.graph, [{ node, partitioning: 'forward', sideOutput: tag.id }], this.defaults);
  }

  sinkTo(sink: Sink<T>): DataStreamSink {
    const node = this.graph.addNode('sink', `Sink: ${sink.kind}`, { sink: sink as Sink<unknown> });
    this.feed(node, 0);
    return new DataStreamSinkImpl(node);
  }

  name(name: string): this {
    this.singleNode('name').name = name;
    return this;
  }

  uid(uid: string): this {
    this.singleNode('uid').uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    this.singleNode('setParallelism').parallelism = parallelism;
    return this;
  }

  setMaxParallelism(maxParallelism: number): this {
    this.singleNode('setMaxParallelism').maxParallelism = maxParallelism;
    return this;
  }

  addOperator<R>(kind: OperatorKind, name: string, parts: OperatorParts): DataStreamImpl<R> {
    const node = this.graph.addNode(kind, name, parts);
    this.feed(node, 0);
    return this.streamOf<R>(node);
  }

  streamOf<R>(node: StreamNode): DataStreamImpl<R> {
    return new DataStreamImpl<R>(this.graph, [{ node, partitioning: 'forward' }], this.defaults);
  }

  feed(node: StreamNode, inputIndex: number): void {
    for (const p of this.producers) {
      this.graph.addEdge(p.node, node, { partitioning: p.partitioning, keySelector: p.keySelector, sideOutput: p.sideOutput, inputIndex });
    }
  }

  /** Adds an operator of `kind` running the user function `fn`, fed by this stream. */
  protected transform<R>(kind: OperatorKind, name: string, fn: unknown): DataStream<R> {
    return this.addOperator<R>(kind, name, { fn });
  }

  private repartition(partitioning: Partitioning): DataStreamImpl<T> {
    return new DataStreamImpl<T>(this.graph, this.producers.map((p) => ({ node: p.node, sideOutput: p.sideOutput, partitioning })), this.defaults);
  }

  private singleNode(what: string): StreamNode {
    const only = this.producers[0];
    if (this.producers.length !== 1 || !only || only.sideOutput !== undefined || only.partitioning !== 'forward') {
      throw new Error(`${what}() applies to an operator; call it right after the operator, not after union, keyBy or a repartitioning`);
    }
    return only.node;
  }
}

/** A stream partitioned by key: see KeyedStream. */
export class KeyedStreamImpl<T, K extends KeyValue = KeyValue> extends DataStreamImpl<T> implements KeyedStream<T, K> {
  override process<R>(fn: KeyedProcessFunction<K, T, R>): DataStream<R> {
    return this.transform<R>('keyedProcess', 'KeyedProcess', fn);
  }

  override connect<B>(other: BroadcastStream<B>): KeyedBroadcastConnectedStream<T, B, K>;
  override connect<B>(other: KeyedStream<B, K>): KeyedConnectedStreams<T, B, K>;
  override connect<B>(other: DataStream<B>): ConnectedStreams<T, B>;
  override connect<B>(other: DataStream<B> | BroadcastStream<B>): ConnectedStreams<T, B> | BroadcastConnectedStream<T, B> {
    if (other instanceof BroadcastStreamImpl) return new KeyedBroadcastConnectedStreamImpl<T, B, K>(this, other);
    const input = implementationOf(other);
    if (input instanceof KeyedStreamImpl) return new KeyedConnectedStreamsImpl<T, B, K>(this, input);
    return new ConnectedStreamsImpl<T, B>(this, input);
  }

  intervalJoin<B>(other: KeyedStream<B, K>): IntervalJoin<T, B, K> {
    return new IntervalJoinImpl<T, B, K>(this, implementationOf(other));
  }

  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStreamImpl<T, K, W>(this, assigner);
  }

  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    return countWindow<T, K>(this, size, slide);
  }

  /** The key selector records are partitioned by. */
  get keySelector(): KeySelector<T> {
    return this.producers[0]!.keySelector as KeySelector<T>;
  }
}
