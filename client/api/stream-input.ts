/**
 * What the builders of the DataStream API (windowed streams, connected streams, broadcast
 * streams, interval joins) need of the streams they start from: the graph, the producers and the
 * defaults, and a way to add an operator and get its output stream. The DataStream
 * implementation provides it, so that the builders can make their result streams without
 * importing that implementation.
 */
import type { OperatorKind, Partitioning, StreamGraph, StreamNode } from '../../common/graph/stream-graph.ts';
import type { KeyValue } from '../../common/key-groups.ts';
import type { KeySelector } from './functions.ts';
import type { DataStream } from './streams.ts';
import type { LocalWindowAggregationConfig } from './windowing/local-window-aggregation.ts';

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

/** The user function and kind-specific settings of a node being added. */
export interface OperatorParts {
  readonly fn?: unknown;
  readonly spec?: unknown;
}

/** A stream of records of type T as a builder sees it; see the module comment. */
export interface StreamInput<T> {
  /** The graph the stream belongs to. */
  readonly graph: StreamGraph;
  /** The upstream outputs the stream's records come from. */
  readonly producers: readonly Producer[];
  /** The settings of the environment the stream was made in. */
  readonly defaults: StreamDefaults;

  /** The same records partitioned by key, as `DataStream.keyBy` makes them. */
  keyBy<K extends KeyValue = KeyValue>(selector: (value: T) => K): StreamInput<T>;

  /** Adds an operator fed by this stream (input 0) and returns its output stream. */
  addOperator<R>(kind: OperatorKind, name: string, parts: OperatorParts): DataStream<R>;

  /** The stream a node of this graph emits on its main output. */
  streamOf<R>(node: StreamNode): DataStream<R>;

  /** Connects this stream to logical input `inputIndex` of `node`. */
  feed(node: StreamNode, inputIndex: number): void;
}
