/** The JobManager's view of one TaskManager: every RPC it makes to it, behind one interface. */
import type { TaskDeploymentInput } from '../../common/rpc/index.ts';

/** Calls from the JobManager to a TaskManager. */
export interface TaskManagerGateway {
  deployTask(deployment: TaskDeploymentInput): Promise<void>;
  cancelTask(jobId: string, executionId: string): Promise<void>;
  releaseJob(jobId: string): Promise<void>;
  close(): void;
}

/** Creates the gateway to the TaskManager at an address. */
export type TaskManagerGatewayFactory = (address: string) => TaskManagerGateway;
