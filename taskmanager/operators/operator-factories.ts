/**
 * Builds the operator of each logical node kind from its user function and settings. Sources and
 * sinks are built by the task builder, since they need connector plumbing.
 */
import type { AsyncFunction, AsyncWaitSpec, FilterFunction, FlatMapFunction, KeyedProcessFunction, LocalWindowAggregateSpec, MapFunction, ProcessFunction, WatermarkStrategy } from '../../client/runtime.ts';
import type { OperatorKind, StreamNode } from '../../common/graph/stream-graph.ts';
import type { UserOperatorSetup } from './abstract-stream-operator.ts';
import { AsyncWaitOperator } from './async-wait-operator.ts';
import { FilterOperator, FlatMapOperator, MapOperator } from './basic-operators.ts';
import { KeyedProcessOperator, ProcessOperator } from './process-operators.ts';
import type { StreamOperator } from './stream-operator.ts';
import { TimestampsAndWatermarksOperator } from './timestamps-operator.ts';
import { TWO_INPUT_OPERATOR_FACTORIES } from './two-input-operator-factories.ts';
import { createWindowOperator } from './window/create-window-operator.ts';
import { LocalWindowAggregateOperator } from './window/local-window-aggregate-operator.ts';

/** Creates the operator of one node. */
export type OperatorFactory = (node: StreamNode, setup: UserOperatorSetup) => StreamOperator;

/** The factory of every operator kind that runs a user function. */
export const OPERATOR_FACTORIES: Partial<Record<OperatorKind, OperatorFactory>> = {
  map: (node, setup) => new MapOperator(setup, node.fn as MapFunction<unknown, unknown>),
  filter: (node, setup) => new FilterOperator(setup, node.fn as FilterFunction<unknown>),
  flatMap: (node, setup) => new FlatMapOperator(setup, node.fn as FlatMapFunction<unknown, unknown>),
  process: (node, setup) => new ProcessOperator(setup, node.fn as ProcessFunction<unknown, unknown>),
  keyedProcess: (node, setup) => new KeyedProcessOperator(setup, node.fn as KeyedProcessFunction<unknown, unknown, unknown>),
  timestamps: (node, setup) => new TimestampsAndWatermarksOperator(setup, (node.spec as WatermarkStrategy<unknown>).spec),
  asyncWait: (node, setup) => new AsyncWaitOperator(setup, node.fn as AsyncFunction<unknown, unknown>, node.spec as AsyncWaitSpec),
  window: createWindowOperator,
  localWindowAggregate: (node, setup) => new LocalWindowAggregateOperator(setup, node.spec as LocalWindowAggregateSpec),
  ...TWO_INPUT_OPERATOR_FACTORIES,
};
