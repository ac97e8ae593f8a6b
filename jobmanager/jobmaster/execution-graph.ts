/**
 * The parallel form of a job graph: one execution vertex per subtask, each with its current
 * attempt. It also builds the deployment descriptor of every execution, wiring each input
 * channel to the TaskManager that runs the producer.
 */
import { executionId } from '../../common/ids.ts';
import type { ExecutionState } from '../../common/job-state.ts';
import type { JobGraph, JobVertex, TaskDeploymentInput } from '../../common/rpc/index.ts';
import type { Slot } from './slot-pool.ts';

/** One attempt of one subtask. */
export interface Execution {
  readonly vertex: JobVertex;
  readonly subtask: number;
  readonly attempt: number;
  readonly id: string;
  state: ExecutionState;
  slot: Slot | undefined;
  failure: string;
  recordsIn: number;
  recordsOut: number;
}

/** All executions of a job. */
export class ExecutionGraph {
  readonly executions: Execution[] = [];
  private readonly byId = new Map<string, Execution>();
  private readonly byVertex = new Map<string, Execution[]>();

  constructor(
    readonly jobId: string,
    readonly graph: JobGraph,
    readonly vertices: readonly JobVertex[],
    attempt: number,
  ) {
    for (const vertex of vertices) {
      const list: Execution[] = [];
      for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
        const execution: Execution = {
          vertex,
          subtask,
          attempt,
          id: executionId(jobId, vertex.id, subtask, attempt),
          state: 'CREATED',
          slot: undefined,
          failure: '',
          recordsIn: 0,
          recordsOut: 0,
        };
        list.push(execution);
        this.executions.push(execution);
        this.byId.set(execution.id, execution);
      }
      this.byVertex.set(vertex.id, list);
    }
  }

  /** Slots needed: the largest parallelism, since subtask i of every vertex shares slot i. */
  get requiredSlots(): number {
    return Math.max(...this.vertices.map((v) => v.parallelism));
  }

  /** Finds an execution. */
  get(id: string): Execution | undefined {
    return this.byId.get(id);
  }

  /** Places subtask i of every vertex in slot i. */
  assignSlots(slots: readonly Slot[]): void {
    for (const e of this.executions) e.slot = slots[e.subtask];
  }

  /**
   * The TaskManager of each consumer of a result partition, by subpartition: the consumer with the
   * producer's subtask for a forward edge (one subpartition), every subtask otherwise.
   */
  private consumersOf(target: JobVertex, forwardSubtask: number | undefined): string[] {
    const consumers = this.byVertex.get(target.id) ?? [];
    const reading = forwardSubtask === undefined ? consumers : consumers.filter((c) => c.subtask === forwardSubtask);
    return reading.map((c) => c.slot?.taskManager.id ?? '');
  }

  /** The deployment descriptor of one execution; slots must be assigned. */
  deploymentOf(execution: Execution): TaskDeploymentInput {
    const vertex = execution.vertex;
    const consumers = this.vertices.filter((v) => v.inputs.some((e) => e.sourceVertexId === vertex.id));
    return {
      jobId: this.jobId,
      executionId: execution.id,
      vertexId: vertex.id,
      subtask: execution.subtask,
      attempt: execution.attempt,
      parallelism: vertex.parallelism,
      maxParallelism: vertex.maxParallelism,
      slotIndex: execution.slot?.index ?? 0,
      inputs: vertex.inputs.map((edge) => {
        const producers = this.byVertex.get(edge.sourceVertexId) ?? [];
        const feeding = edge.partitioner === 'FORWARD' ? producers.filter((p) => p.subtask === execution.subtask) : producers;
        return {
          edgeId: edge.id,
          sourceVertexId: edge.sourceVertexId,
          inputIndex: edge.inputIndex,
          partitioner: edge.partitioner,
          channels: feeding.map((p) => ({ producerExecutionId: p.id, producerAddress: p.slot?.taskManager.address ?? '', producerSubtask: p.subtask })),
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
            consumerTaskmanagerIds: this.consumersOf(target, e.partitioner === 'FORWARD' ? execution.subtask : undefined),
          })),
      ),
    };
  }
}
