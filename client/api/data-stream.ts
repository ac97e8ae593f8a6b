/** The DataStream API: typed, fluent construction of the logical graph. */
import type { Sink } from '../../common/connector/sink.ts';
import type { FilterFunction, FlatMapFunction, KeySelector, MapFunction, OutputTag } from './functions.ts';
import type { OperatorKind, Partitioning, StreamGraph, StreamNode } from './stream-graph.ts';

/** One upstream of a stream: a node's main or side output, with the distribution asked for. */
interface Producer {
  readonly node: StreamNode;
  readonly partitioning: Partitioning;
  readonly keySelector?: KeySelector<unknown>;
  readonly sideOutput?: string;
}

/** A stream of records of type T. */
export class DataStream<T> {
  /** @internal */
  constructor(
    protected readonly graph: StreamGraph,
    protected readonly producers: readonly Producer[],
    protected readonly defaults: { parallelism(): number },
  ) {}

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
  keyBy(selector: KeySelector<T>): KeyedStream<T> {
    return new KeyedStream<T>(
      this.graph,
      this.producers.map((p) => ({ ...p, partitioning: 'hash', keySelector: selector as KeySelector<unknown> })),
      this.defaults,
    );
  }

  /** Merges streams of the same type into one. */
  union(...others: DataStream<T>[]): DataStream<T> {
    return new DataStream<T>(this.graph, [...this.producers, ...others.flatMap((o) => o.producers)], this.defaults);
  }

  /** Distributes records round-robin over the next operator's subtasks. */
  rebalance(): DataStream<T> {
    return this.repartition('rebalance');
  }

  /** Sends every record to every subtask of the next operator. */
  broadcast(): DataStream<T> {
    return this.repartition('broadcast');
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
    this.connect(node);
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
    const node = this.graph.addNode(kind, name, { fn });
    this.connect(node);
    return new DataStream<R>(this.graph, [{ node, partitioning: 'forward' }], this.defaults);
  }

  private connect(node: StreamNode): void {
    for (const p of this.producers) {
      this.graph.addEdge(p.node, node, { partitioning: p.partitioning, keySelector: p.keySelector, sideOutput: p.sideOutput });
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
export class KeyedStream<T> extends DataStream<T> {}

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
