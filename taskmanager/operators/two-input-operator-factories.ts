/** The factories of the operators with two inputs: co-process, broadcast process, interval join. */
import type { BroadcastProcessFunction, BroadcastProcessSpec, CoProcessFunction, IntervalJoinSpec, KeyedBroadcastProcessFunction, KeyedCoProcessFunction, ProcessJoinFunction } from '../../client/runtime.ts';
import type { OperatorKind, StreamNode } from '../../common/graph/stream-graph.ts';
import type { UserOperatorSetup } from './abstract-stream-operator.ts';
import { BroadcastProcessOperator, KeyedBroadcastProcessOperator } from './broadcast-process-operators.ts';
import { CoProcessOperator, KeyedCoProcessOperator } from './co-process-operators.ts';
import { IntervalJoinOperator } from './interval-join-operator.ts';
import type { StreamOperator } from './stream-operator.ts';

/** Merged into OPERATOR_FACTORIES (see operator-factories.ts). */
export const TWO_INPUT_OPERATOR_FACTORIES: Partial<Record<OperatorKind, (node: StreamNode, setup: UserOperatorSetup) => StreamOperator>> = {
  coProcess: (node, setup) => new CoProcessOperator(setup, node.fn as CoProcessFunction<unknown, unknown, unknown>),
  keyedCoProcess: (node, setup) => new KeyedCoProcessOperator(setup, node.fn as KeyedCoProcessFunction<unknown, unknown, unknown, unknown>),
  broadcastProcess: (node, setup) =>
    new BroadcastProcessOperator(setup, node.fn as BroadcastProcessFunction<unknown, unknown, unknown>, node.spec as BroadcastProcessSpec | undefined),
  keyedBroadcastProcess: (node, setup) =>
    new KeyedBroadcastProcessOperator(setup, node.fn as KeyedBroadcastProcessFunction<unknown, unknown, unknown, unknown>, node.spec as BroadcastProcessSpec | undefined),
  intervalJoin: (node, setup) => new IntervalJoinOperator(setup, node.fn as ProcessJoinFunction<unknown, unknown, unknown>, node.spec as IntervalJoinSpec),
};
