/** Adds an operator with two logical inputs to the graph, shared by connect, broadcast and joins. */
import type { DataStream } from './data-stream.ts';
import type { OperatorKind } from '../../common/graph/stream-graph.ts';

/**
 * Adds a node of `kind` fed by `first` (input 0) and `second` (input 1) and returns its output.
 * Works through the streams' own methods, so that this module needs DataStream as a type only.
 */
export function addTwoInputOperator<O>(
  first: DataStream<unknown>,
  second: DataStream<unknown>,
  kind: OperatorKind,
  name: string,
  parts: { fn: unknown; spec?: unknown },
): DataStream<O> {
  const out = first.addOperator<O>(kind, name, parts);
  second.feed(out.producers[0]!.node, 1);
  return out;
}
