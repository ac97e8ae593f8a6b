/** The JobManager's view of one TaskManager: every RPC it makes to it, behind one interface. */
import type { CheckpointBarrier, TaskDeploymentInput } from '../../common/rpc/index.ts';

/** Asks a task to take a checkpoint: a source emits the barrier, a finishing task snapshots directly. */
export interface CheckpointTrigger {
  readonly jobId: string;
  readonly executionId: string;
  readonly barrier: CheckpointBarrier;
}

/** Calls from the JobManager to a TaskManager. */
export interface TaskManagerGateway {
  deployTask(deployment: TaskDeploymentInput): Promise<void>;
  cancelTask(jobId: string, executionId: string): Promise<void>;
  releaseJob(jobId: string): Promise<void>;
  triggerCheckpoint(trigger: CheckpointTrigger): Promise<void>;
  /** Tells every task of a job on the TaskManager that a checkpoint completed (or was aborted). */
  notifyCheckpoint(jobId: string, checkpointId: number, completed: boolean): Promise<void>;
  close(): void;
}

/** Creates the gateway to the TaskManager at an address. */
export type TaskManagerGatewayFactory = (address: string) => TaskManagerGateway;
