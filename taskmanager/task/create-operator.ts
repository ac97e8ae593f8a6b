/**
 * Creates the operator of one stream node of a chain, other than a source (see
 * build-operator-chain.ts): a sink around its connector's writer, or a user operator from the
 * operator factories, with keyed state when a hash edge feeds it.
 */
import type { KeySelector, RuntimeContext } from '../../client/runtime.ts';
import type { KeyGroupRange } from '../../common/key-groups.ts';
import type { StreamNode } from '../../common/graph/stream-graph.ts';
import type { TaskDeployment } from '../../common/rpc/index.ts';
import type { OperatorRestoreState } from '../../common/checkpoint/checkpoint-types.ts';
import type { KeyedSetup } from '../operators/abstract-stream-operator.ts';
import { OPERATOR_FACTORIES } from '../operators/operator-factories.ts';
import { SinkOperator } from '../operators/sink-operator.ts';
import type { Output, StreamOperator } from '../operators/stream-operator.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { runtimeContext } from './runtime-context.ts';
import type { TaskEnvironment } from './task-environment.ts';
import type { Task } from './task.ts';

/** A created operator, with its keyed state backend when it is keyed. */
export interface CreatedOperator {
  readonly operator: StreamOperator;
  readonly backend: KeyedStateBackend | undefined;
}

/**
 * The key selector per logical input of a keyed operator, or undefined when the operator is not
 * keyed. An operator is keyed when a hash edge feeds it and its other inputs are hash or broadcast.
 */
function keySelectorsOf(node: StreamNode): (KeySelector<unknown> | undefined)[] | undefined {
  if (!node.inputs.some((e) => e.partitioning === 'hash')) return undefined;
  if (node.inputs.some((e) => e.partitioning !== 'hash' && e.partitioning !== 'broadcast')) return undefined;
  const selectors: (KeySelector<unknown> | undefined)[] = [];
  for (const e of node.inputs) if (e.partitioning === 'hash') selectors[e.inputIndex] = e.keySelector;
  return selectors;
}

/** Creates the sink operator of a sink node. */
export function createSinkOperator(node: StreamNode, deployment: TaskDeployment, env: TaskEnvironment): SinkOperator {
  const { jobId, subtask } = deployment;
  const writer = node.sink!.createWriter({
    jobId,
    operatorId: node.id,
    subtaskIndex: subtask,
    parallelism: deployment.parallelism,
    attempt: deployment.attempt,
    checkpointing: deployment.checkpointing,
    pushCollected: (records) => env.pushCollected(jobId, node.id, records),
  });
  return new SinkOperator(writer, subtask, deployment.parallelism);
}

/** Creates a user operator writing to `output`; throws naming the node when its kind is unknown. */
export async function createUserOperator(
  node: StreamNode,
  output: Output,
  task: Task,
  keyGroupRange: KeyGroupRange,
  restored: OperatorRestoreState | undefined,
  restoring: boolean,
  env: TaskEnvironment,
): Promise<CreatedOperator> {
  const { deployment } = task;
  const { jobId, subtask } = deployment;
  const factory = OPERATOR_FACTORIES[node.kind];
  if (!factory) throw new Error(`operator kind "${node.kind}" of "${node.name}" is not supported by this TaskManager`);
  const selectors = keySelectorsOf(node);
  let keyed: KeyedSetup | undefined;
  if (selectors) {
    const state = await env.keyedState({ jobId, operatorId: node.id, maxParallelism: deployment.maxParallelism, keyGroupRange });
    keyed = { ...state, keySelectors: selectors, restore: restoring ? (restored?.keyed ?? []) : undefined };
  }
  const context: RuntimeContext = runtimeContext(
    { jobId, taskName: task.name, operatorId: node.id, subtaskIndex: subtask, parallelism: deployment.parallelism, maxParallelism: deployment.maxParallelism, attempt: deployment.attempt, keyGroupRange },
    keyed?.backend,
    task.queryable,
  );
  const operator = factory(node, { context, output, processingTime: task.processingTime, keyed, enqueue: (mail) => task.enqueue(mail), queryable: task.queryable });
  return { operator, backend: keyed?.backend };
}
