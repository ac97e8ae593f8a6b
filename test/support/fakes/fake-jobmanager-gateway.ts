/**
 * An in-memory JobManagerGateway for TaskManager-side tests: it records every call a TaskManager
 * (or a task's checkpoint responder) makes, answers from what the test set up (bundles,
 * registration, heartbeats, or heartbeats left hanging as behind a cut link), and lets a test
 * await a call instead of sleeping. No sockets.
 */
import type { JobGraph } from '../../../common/rpc/index.ts';
import type {
  CheckpointAck,
  CheckpointDecline,
  JobManagerGateway,
  RegistrationAccepted,
  TaskManagerRegistration,
  TaskMetricsSample,
  TaskStateReport,
} from '../../../taskmanager/gateway/jobmanager-gateway.ts';

/** Collected records one sink pushed in one call. */
export interface PushedRecords {
  readonly jobId: string;
  readonly sinkId: string;
  readonly records: Uint8Array;
  readonly count: number;
}

/** How the fake answers heartbeats: as a JobManager that knows the TaskManager, one that forgot it, or not at all. */
export type HeartbeatMode = 'known' | 'unknown' | 'hang';

/** A JobManagerGateway that keeps every call in memory. */
export class FakeJobManagerGateway implements JobManagerGateway {
  /** Registrations received, in call order. */
  readonly registrations: TaskManagerRegistration[] = [];
  /** When each registration arrived (Date.now()), in call order. */
  readonly registeredAt: number[] = [];
  /** Heartbeats received, in call order. */
  readonly heartbeats: { taskmanagerId: string; tasks: TaskMetricsSample[] }[] = [];
  /** Task state reports received, in call order. */
  readonly taskStates: TaskStateReport[] = [];
  /** Checkpoint acknowledgements received, in call order. */
  readonly acks: CheckpointAck[] = [];
  /** Checkpoint declines received, in call order. */
  readonly declines: CheckpointDecline[] = [];
  /** Collected records pushed, in call order. */
  readonly pushed: PushedRecords[] = [];
  /** Job ids whose bundle was asked for, in call order. */
  readonly bundleRequests: string[] = [];
  /** The bundle and graph `getBundle` answers per job; an unknown job rejects naming it. */
  readonly bundles = new Map<string, { bundle: Buffer; graph: JobGraph }>();
  /** What `registerTaskManager` answers. */
  accepted: RegistrationAccepted = { jobmanagerId: 'fake-jobmanager', heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: 5_000 };
  /** When set, `registerTaskManager` rejects with this message. */
  registrationFailure: string | undefined;
  /** How `heartbeat` answers: 'unknown' tells the TaskManager to register again, 'hang' never answers. */
  heartbeatMode: HeartbeatMode = 'known';
  /** When a heartbeat was last answered (Date.now()), 0 before any. */
  lastAnsweredAt = 0;
  /** Whether the TaskManager closed this gateway. */
  closed = false;
  private waiters: { readonly probe: () => boolean; readonly resolve: () => void }[] = [];

  async registerTaskManager(registration: TaskManagerRegistration): Promise<RegistrationAccepted> {
    if (this.registrationFailure !== undefined) throw new Error(this.registrationFailure);
    this.registrations.push(registration);
    this.registeredAt.push(Date.now());
    this.changed();
    return this.accepted;
  }

  async heartbeat(taskmanagerId: string, tasks: TaskMetricsSample[]): Promise<boolean> {
    this.heartbeats.push({ taskmanagerId, tasks });
    this.changed();
    if (this.heartbeatMode === 'hang') return new Promise<boolean>(() => undefined);
    this.lastAnsweredAt = Date.now();
    return this.heartbeatMode === 'known';
  }

  async updateTaskState(report: TaskStateReport): Promise<void> {
    this.taskStates.push(report);
    this.changed();
  }

  async getBundle(jobId: string): Promise<{ bundle: Buffer; graph: JobGraph }> {
    this.bundleRequests.push(jobId);
    const found = this.bundles.get(jobId);
    if (!found) throw new Error(`the fake JobManager has no bundle for job ${jobId}`);
    return found;
  }

  async pushCollected(jobId: string, sinkId: string, records: Uint8Array, count: number): Promise<void> {
    this.pushed.push({ jobId, sinkId, records, count });
    this.changed();
  }

  async acknowledgeCheckpoint(ack: CheckpointAck): Promise<void> {
    this.acks.push(ack);
    this.changed();
  }

  async declineCheckpoint(decline: CheckpointDecline): Promise<void> {
    this.declines.push(decline);
    this.changed();
  }

  close(): void {
    this.closed = true;
  }

  /** Resolves with the acknowledgement of `checkpointId` by `executionId` (any task when omitted), once it arrives. */
  async acknowledged(checkpointId: number, executionId?: string): Promise<CheckpointAck> {
    const find = (): CheckpointAck | undefined => this.acks.find((a) => a.checkpointId === checkpointId && (executionId === undefined || a.executionId === executionId));
    await this.until(() => find() !== undefined);
    return find()!;
  }

  /** Resolves with the decline of `checkpointId`, once it arrives. */
  async declined(checkpointId: number): Promise<CheckpointDecline> {
    const find = (): CheckpointDecline | undefined => this.declines.find((d) => d.checkpointId === checkpointId);
    await this.until(() => find() !== undefined);
    return find()!;
  }

  /** The states reported for one execution, in order. */
  statesOf(executionId: string): string[] {
    return this.taskStates.filter((s) => s.executionId === executionId).map((s) => s.state);
  }

  /** Resolves with the report of `executionId` reaching `state`, once it arrives. */
  async reachedState(executionId: string, state: string): Promise<TaskStateReport> {
    const find = (): TaskStateReport | undefined => this.taskStates.find((r) => r.executionId === executionId && r.state === state);
    await this.until(() => find() !== undefined);
    return find()!;
  }

  /** Resolves once `probe` holds, checked after every recorded call. */
  until(probe: () => boolean): Promise<void> {
    if (probe()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ probe, resolve }));
  }

  private changed(): void {
    const ready = this.waiters.filter((w) => w.probe());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}
