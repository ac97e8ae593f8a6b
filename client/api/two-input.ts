/** Adds an operator with two logical inputs to the graph, shared by connect, broadcast and joins. */
import type { OperatorKind } from '../../common/graph/stream-graph.ts';
import type { OperatorParts, StreamInput } from './stream-input.ts';
import type { DataStream } from './streams.ts';

/** Adds a node of `kind` fed by `first` (input 0) and `second` (input 1) and returns its output. */
export function addTwoInputOperator<O>(first: StreamInput<unknown>, second: StreamInput<unknown>, kind: OperatorKind, name: string, parts: OperatorParts): DataStream<O> {
  const node = first.graph.addNode(kind, name, parts);
  first.feed(node, 0);
  second.feed(node, 1);
  return first.streamOf<O>(node);
}
