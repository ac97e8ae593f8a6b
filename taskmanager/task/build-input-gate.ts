/**
 * Builds the input gate of a task: one channel per upstream subtask of each input edge, a local
 * channel for a producer in the same TaskManager, a remote one otherwise.
 */
import { jobEdgeId, type VertexPlan } from '../../common/graph/job-plan.ts';
import type { TaskDeployment } from '../../common/rpc/index.ts';
import { InputGate } from '../network/input-gate.ts';
import { LocalInputChannel } from '../network/local-input-channel.ts';
import { partitionKey } from '../network/partition-manager.ts';
import { RemoteInputChannel } from '../network/remote-input-channel.ts';
import type { TaskEnvironment } from './task-environment.ts';

/** The gate of a deployment with inputs; throws naming the task when an input is not in its vertex. */
export function buildInputGate(taskName: string, deployment: TaskDeployment, vertex: VertexPlan, env: TaskEnvironment): InputGate {
  const { jobId, subtask } = deployment;
  const gate = new InputGate();
  for (const spec of deployment.inputs) {
    const edge = vertex.inputs.find((e) => jobEdgeId(e) === spec.edgeId);
    if (!edge) throw new Error(`deployment of ${taskName} names unknown input ${spec.edgeId}`);
    const subpartition = spec.partitioner === 'FORWARD' ? 0 : subtask;
    for (const ch of spec.channels) {
      const index = gate.channels.length;
      const channel =
        ch.producerAddress === env.address
          ? new LocalInputChannel(index, edge.inputIndex, gate, env.initialCredit, env.partitions, partitionKey(jobId, ch.producerExecutionId, spec.edgeId), subpartition)
          : new RemoteInputChannel(index, edge.inputIndex, gate, env.initialCredit, env.dataClients, {
              address: ch.producerAddress,
              jobId,
              producerExecutionId: ch.producerExecutionId,
              edgeId: spec.edgeId,
              subpartition,
            });
      gate.add(channel);
    }
  }
  return gate;
}
