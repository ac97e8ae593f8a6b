/**
 * Builds what a task runs from its deployment and the job plan: result partitions with a record
 * writer per outgoing edge, the operator chain, and the task's input (its source, or the input
 * gate of its network channels).
 */
import type { StreamEdge } from '../../common/graph/stream-graph.ts';
import { jobEdgeId, type VertexPlan } from '../../common/graph/job-plan.ts';
import type { TaskDeployment } from '../../common/rpc/index.ts';
import { partitionKey } from '../network/partition-manager.ts';
import { BroadcastSelector, ForwardSelector, KeyGroupSelector, RebalanceSelector, type ChannelSelector } from '../network/partitioners.ts';
import { RecordWriter } from '../network/record-writer.ts';
import { ResultPartition } from '../network/result-partition.ts';
import type { EdgeOutput } from './broadcasting-output.ts';
import { buildInputGate } from './build-input-gate.ts';
import { buildOperatorChain } from './build-operator-chain.ts';
import { GateInput } from './gate-input.ts';
import { RecordWriterOutput } from './record-writer-output.ts';
import type { TaskEnvironment } from './task-environment.ts';
import type { TaskInput } from './task-input.ts';
import { restoreOf } from './task-restore.ts';
import type { Task, TaskParts } from './task.ts';

function selectorFor(edge: StreamEdge, spec: { subpartitions: number; targetMaxParallelism: number }, subtask: number): ChannelSelector {
  switch (edge.partitioning) {
    case 'forward':
      return new ForwardSelector();
    case 'rebalance':
      return new RebalanceSelector(spec.subpartitions, subtask);
    case 'broadcast':
      return new BroadcastSelector();
    case 'hash': {
      if (!edge.keySelector) throw new Error(`hash edge into "${edge.to.name}" has no key selector`);
      return new KeyGroupSelector(edge.keySelector, spec.subpartitions, spec.targetMaxParallelism);
    }
  }
}

/** Builds the parts of one task; throws an error naming the task when the deployment and the plan disagree. */
export async function buildTaskParts(task: Task, deployment: TaskDeployment, vertex: VertexPlan, env: TaskEnvironment): Promise<TaskParts> {
  const { jobId, executionId, subtask } = deployment;
  const restore = restoreOf(deployment);
  const partitions: ResultPartition[] = [];
  const networkOutputs = new Map<StreamEdge, EdgeOutput>();
  for (const edge of vertex.outputs) {
    const edgeId = jobEdgeId(edge);
    const spec = deployment.outputs.find((o) => o.edgeId === edgeId);
    if (!spec) throw new Error(`deployment of ${task.name} lacks output ${edgeId}`);
    const forward = edge.partitioning === 'forward';
    const partition = new ResultPartition(partitionKey(jobId, executionId, edgeId), forward ? 1 : spec.subpartitions, env.partitionConfig, spec.consumerTaskmanagerIds);
    partitions.push(partition);
    networkOutputs.set(edge, new RecordWriterOutput(new RecordWriter(partition, selectorFor(edge, spec, subtask), forward), task.metrics));
  }
  const { chain, sourceInput } = await buildOperatorChain(task, vertex, networkOutputs, restore, env);
  let input: TaskInput;
  if (sourceInput) input = sourceInput;
  else if (deployment.inputs.length > 0) input = new GateInput(buildInputGate(task.name, deployment, vertex, env), chain.head, task.metrics);
  else throw new Error(`task ${task.name} has neither a source nor an input`);
  return {
    chain,
    input,
    partitions,
    registerPartitions: () => {
      for (const p of partitions) env.partitions.register(p);
    },
    unregisterPartitions: () => {
      for (const p of partitions) env.partitions.unregister(p.key);
    },
  };
}
