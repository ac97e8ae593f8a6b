/** The operator factory of 'window' nodes (windowed streams and window joins). */
import type { StreamNode } from '../../../common/graph/stream-graph.ts';
import type { WindowSpec } from '../../../client/runtime.ts';
import type { UserOperatorSetup } from '../abstract-stream-operator.ts';
import type { StreamOperator } from '../stream-operator.ts';
import { WindowOperator } from './window-operator.ts';

/** Builds the window operator of a node from the WindowSpec the windowed stream put in it. */
export function createWindowOperator(node: StreamNode, setup: UserOperatorSetup): StreamOperator {
  return new WindowOperator(setup, node.spec as WindowSpec);
}
