/** The JobManager's view of one TaskManager: every RPC it makes to it, behind one interface. */
import type { TaskDeploymentInput } from '../../common/rpc/index.ts';

/** Asks a task to take a checkpoint: a source emits a barrier, a finishing task snapshots directly. */
export interface CheckpointTrigger {
  readonly jobId: string;
  readonly executionId: string;
  readonly checkpointId: number;
  readonly timestamp: number;
  /** Non-empty for a savepoint: the self-contained directory its state goes to. */
  readonly savepointRoot: string;
  /** Write full keyed state rather than a delta. */
  readonly full: boolean;
  /** Every task has finished its input; tasks end FINISHED once this checkpoint completes. */
  readonly final: boolean;
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
