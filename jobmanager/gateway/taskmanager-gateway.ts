/** The JobManager's view of one TaskManager: every RPC it makes to it, behind one interface. */
import type { CheckpointBarrier, TaskDeploymentInput } from '../../common/rpc/index.ts';

/** Asks a task to take a checkpoint: a source emits the barrier, a finishing task snapshots directly. */
export interface CheckpointTrigger {
  readonly jobId: string;
  readonly executionId: string;
  readonly barrier: CheckpointBarrier;
}

/**
 * That a checkpoint completed or was aborted, for the tasks of the attempt that took it. The
 * attempt fences commits: a task of any other attempt (one the JobManager has given up on, still
 * running on a TaskManager that was cut off) never hears of the checkpoint, so it cannot commit.
 */
export interface CheckpointNotification {
  readonly jobId: string;
  readonly attempt: number;
  readonly checkpointId: number;
  readonly completed: boolean;
}

/** A read of a queryable state of one task, under a key given as JSON. */
export interface StateQuery {
  readonly jobId: string;
  readonly executionId: string;
  readonly stateName: string;
  readonly keyJson: string;
}

/** What the task answered: the value as JSON when FOUND. */
export interface StateQueryAnswer {
  readonly status: 'FOUND' | 'UNKNOWN_KEY' | 'UNKNOWN_STATE';
  readonly valueJson: string;
}

/** Calls from the JobManager to a TaskManager. */
export interface TaskManagerGateway {
  deployTask(deployment: TaskDeploymentInput): Promise<void>;
  cancelTask(jobId: string, executionId: string): Promise<void>;
  releaseJob(jobId: string): Promise<void>;
  triggerCheckpoint(trigger: CheckpointTrigger): Promise<void>;
  /** Tells the tasks of one attempt of a job on the TaskManager that a checkpoint completed (or was aborted). */
  notifyCheckpoint(notification: CheckpointNotification): Promise<void>;
  /** Reads a queryable state of a running task. */
  queryState(query: StateQuery): Promise<StateQueryAnswer>;
  close(): void;
}

/** Creates the gateway to the TaskManager at an address. */
export type TaskManagerGatewayFactory = (address: string) => TaskManagerGateway;
