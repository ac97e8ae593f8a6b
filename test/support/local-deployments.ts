/**
 * The deployments a JobManager would send for a job whose every subtask runs on one
 * TaskManager (as jobmanager/jobmaster/execution-graph.ts builds them), for tests that drive a
 * TaskExecutor without a JobManager: every channel is local, so no socket is opened.
 */
import { executionId } from '../../common/ids.ts';
import type { JobGraph, TaskDeployment } from '../../common/rpc/index.ts';

/** Options of the deployments. */
export interface LocalDeploymentOptions {
  /** The TaskManager's address, which every producer has. */
  readonly address: string;
  /** The TaskManager's id, which every consumer has. */
  readonly taskmanagerId: string;
  readonly checkpointing: boolean;
  readonly checkpointRoot: string;
}

/** Every subtask's deployment, sources first (the graph's vertex order), attempt 0, no restore. */
export function localDeployments(jobId: string, graph: JobGraph, options: LocalDeploymentOptions): TaskDeployment[] {
  const deployments: TaskDeployment[] = [];
  for (const vertex of graph.vertices) {
    const consumers = graph.vertices.filter((v) => v.inputs.some((e) => e.sourceVertexId === vertex.id));
    for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
      deployments.push({
        jobId,
        executionId: executionId(jobId, vertex.id, subtask, 0),
        vertexId: vertex.id,
        subtask,
        attempt: 0,
        parallelism: vertex.parallelism,
        maxParallelism: vertex.maxParallelism,
        slotIndex: subtask,
        checkpointing: options.checkpointing,
        checkpointRoot: options.checkpointRoot,
        savepointRoots: [options.checkpointRoot],
        restore: null,
        inputs: vertex.inputs.map((edge) => {
          const producer = graph.vertices.find((v) => v.id === edge.sourceVertexId);
          if (!producer) throw new Error(`edge ${edge.id} of vertex ${vertex.id} comes from unknown vertex ${edge.sourceVertexId}`);
          const subtasks = edge.partitioner === 'FORWARD' ? [subtask] : Array.from({ length: producer.parallelism }, (_, i) => i);
          return {
            edgeId: edge.id,
            sourceVertexId: edge.sourceVertexId,
            inputIndex: edge.inputIndex,
            partitioner: edge.partitioner,
            channels: subtasks.map((s) => ({ producerExecutionId: executionId(jobId, producer.id, s, 0), producerAddress: options.address, producerSubtask: s })),
          };
        }),
        outputs: consumers.flatMap((target) =>
          target.inputs
            .filter((e) => e.sourceVertexId === vertex.id)
            .map((e) => ({
              edgeId: e.id,
              targetVertexId: target.id,
              partitioner: e.partitioner,
              subpartitions: target.parallelism,
              targetMaxParallelism: target.maxParallelism,
              keyOperatorId: e.keyOperatorId,
              consumerTaskmanagerIds: Array.from({ length: e.partitioner === 'FORWARD' ? 1 : target.parallelism }, () => options.taskmanagerId),
            })),
        ),
      });
    }
  }
  return deployments;
}
