/** The TaskManager's view of the JobManager: every RPC it makes, behind one interface. */
import type { OperatorSubtaskState } from '../../common/checkpoint/checkpoint-types.ts';
import type { JobGraph } from '../../common/rpc/index.ts';

/** Registration details a TaskManager sends. */
export interface TaskManagerRegistration {
  taskmanagerId: string;
  address: string;
  slots: number;
  metricsAddress: string;
}

/** What the JobManager answers to a registration. */
export interface RegistrationAccepted {
  jobmanagerId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
}

/** Per-task counters carried by heartbeats. */
export interface TaskMetricsSample {
  executionId: string;
  recordsIn: number;
  recordsOut: number;
}

/** A task's state change. */
export interface TaskStateReport {
  taskmanagerId: string;
  jobId: string;
  executionId: string;
  state: string;
  failure: string;
  recordsIn: number;
  recordsOut: number;
}

/** A task's acknowledgement of a checkpoint, with the state it wrote. */
export interface CheckpointAck {
  jobId: string;
  executionId: string;
  checkpointId: number;
  /** One state per operator of the task's chain. */
  states: OperatorSubtaskState[];
  sizeBytes: number;
  incrementalBytes: number;
}

/** A task's refusal of a checkpoint. */
export interface CheckpointDecline {
  jobId: string;
  executionId: string;
  checkpointId: number;
  reason: string;
}

/** Calls from a TaskManager to the JobManager. */
export interface JobManagerGateway {
  registerTaskManager(registration: TaskManagerRegistration): Promise<RegistrationAccepted>;
  /** Returns false when the JobManager does not know this TaskManager (it must re-register). */
  heartbeat(taskmanagerId: string, tasks: TaskMetricsSample[]): Promise<boolean>;
  updateTaskState(report: TaskStateReport): Promise<void>;
  getBundle(jobId: string): Promise<{ bundle: Buffer; graph: JobGraph }>;
  pushCollected(jobId: string, sinkId: string, records: Uint8Array, count: number): Promise<void>;
  acknowledgeCheckpoint(ack: CheckpointAck): Promise<void>;
  declineCheckpoint(decline: CheckpointDecline): Promise<void>;
  close(): void;
}
