/**
 * Builds the operator chain of a task from its vertex: the operators tail first, so that each
 * one is created with a BroadcastingOutput over the ChainingOutputs of its chained successors and
 * the RecordWriterOutputs of its network edges. A source head is created inside its SourceInput.
 */
import type { WatermarkStrategy, WatermarkStrategySpec } from '../../client/runtime.ts';
import { splitsForSubtask, type SourceSplit } from '../../common/connector/source.ts';
import type { OperatorRestoreState } from '../../common/checkpoint/checkpoint-types.ts';
import { jobEdgeId, type VertexPlan } from '../../common/graph/job-plan.ts';
import type { StreamEdge, StreamNode } from '../../common/graph/stream-graph.ts';
import { keyGroupRangeForOperator } from '../../common/key-groups.ts';
import type { CheckpointedOperator } from '../checkpoint/subtask-checkpointer.ts';
import type { SinkOperator } from '../operators/sink-operator.ts';
import { SOURCE_SPLITS_STATE, SourceOperator } from '../operators/source-operator.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import { BroadcastingOutput, type EdgeOutput } from './broadcasting-output.ts';
import { ChainingOutput } from './chaining-output.ts';
import { createSinkOperator, createUserOperator, type CreatedOperator } from './create-operator.ts';
import { OperatorChain } from './operator-chain.ts';
import { SourceInput } from './source-input.ts';
import type { TaskEnvironment } from './task-environment.ts';
import type { Task } from './task.ts';

/** A built chain, with the source input when the chain's head is a source. */
export interface BuiltChain {
  readonly chain: OperatorChain;
  readonly sourceInput: SourceInput | undefined;
}

/** How often a source with idleness polls while it has nothing to read: half its idle timeout, at least 10 ms. */
function idleCheckMsOf(strategy: WatermarkStrategySpec<unknown> | undefined): number | undefined {
  return strategy?.idlenessMs !== undefined ? Math.max(10, Math.floor(strategy.idlenessMs / 2)) : undefined;
}

/**
 * Builds the chain of `vertex` for `task`. `networkOutputs` holds the RecordWriterOutput of each
 * of the vertex's outgoing network edges; `restore` the restored state by operator id, undefined
 * for a fresh start.
 */
export async function buildOperatorChain(
  task: Task,
  vertex: VertexPlan,
  networkOutputs: ReadonlyMap<StreamEdge, EdgeOutput>,
  restore: ReadonlyMap<string, OperatorRestoreState> | undefined,
  env: TaskEnvironment,
): Promise<BuiltChain> {
  const { deployment } = task;
  const keyGroupRange = keyGroupRangeForOperator(deployment.maxParallelism, deployment.parallelism, deployment.subtask);
  const created = new Map<StreamNode, CreatedOperator>();
  const sinks: SinkOperator[] = [];
  const inChain = new Set(vertex.nodes);
  let sourceInput: SourceInput | undefined;
  let headOutput: BroadcastingOutput | undefined;
  for (const node of [...vertex.nodes].reverse()) {
    const output = outputOf(node, inChain, created, networkOutputs, env);
    const restored = restore?.get(node.id);
    if (node.kind === 'source') {
      sourceInput = await createSourceInput(task, node, output, restored);
      created.set(node, { operator: sourceInput.operator, backend: undefined });
    } else if (node.kind === 'sink') {
      const sink = createSinkOperator(node, deployment, env);
      sinks.push(sink);
      created.set(node, { operator: sink, backend: undefined });
    } else {
      created.set(node, await createUserOperator(node, output, task, keyGroupRange, restored, restore !== undefined, env));
    }
    if (restored && node.kind !== 'source') created.get(node)!.operator.initializeState?.(restored.operatorState);
    headOutput = output;
  }
  const operators: CheckpointedOperator[] = vertex.nodes.map((node) => ({ operatorId: node.id, ...created.get(node)! }));
  const head = operators[0];
  if (!head || !headOutput) throw new Error(`vertex ${vertex.id} of task ${task.name} has no operators`);
  const watermarkEntry = sourceInput ? headOutput : new ChainingOutput(head.operator, 0);
  return { chain: new OperatorChain(operators, sinks, watermarkEntry), sourceInput };
}

/** The output of `node`: its chained successors (already created, tail first) and its network edges. */
function outputOf(
  node: StreamNode,
  inChain: ReadonlySet<StreamNode>,
  created: ReadonlyMap<StreamNode, CreatedOperator>,
  networkOutputs: ReadonlyMap<StreamEdge, EdgeOutput>,
  env: TaskEnvironment,
): BroadcastingOutput {
  const main: EdgeOutput[] = [];
  const side = new Map<string, EdgeOutput[]>();
  for (const edge of node.outputs) {
    const next: StreamOperator | undefined = inChain.has(edge.to) && !networkOutputs.has(edge) ? created.get(edge.to)?.operator : undefined;
    const output = next ? new ChainingOutput(next, edge.inputIndex) : networkOutputs.get(edge);
    if (!output) throw new Error(`no output for edge ${jobEdgeId(edge)} of ${node.name}`);
    if (edge.sideOutput === undefined) main.push(output);
    else side.set(edge.sideOutput, [...(side.get(edge.sideOutput) ?? []), output]);
  }
  return new BroadcastingOutput(main, side, env.log);
}

/** Creates the source input of a source node, with its splits: restored ones, or its share of a fresh enumeration. */
async function createSourceInput(task: Task, node: StreamNode, output: BroadcastingOutput, restored: OperatorRestoreState | undefined): Promise<SourceInput> {
  const { deployment } = task;
  const src = node.source!;
  const restoredSplits = restored?.operatorState[SOURCE_SPLITS_STATE] as SourceSplit[] | undefined;
  const splits = restoredSplits ?? splitsForSubtask(await src.enumerateSplits(), deployment.subtask, deployment.parallelism);
  const reader = src.createReader({
    jobId: deployment.jobId,
    operatorId: node.id,
    inputName: node.name,
    subtaskIndex: deployment.subtask,
    parallelism: deployment.parallelism,
    maxParallelism: deployment.maxParallelism,
  });
  const strategy = (node.spec as WatermarkStrategy<unknown> | undefined)?.spec;
  return new SourceInput((sourceOutput) => new SourceOperator(reader, splits, sourceOutput, node.name, strategy), output, task.metrics, idleCheckMsOf(strategy));
}
