/**
 * Test fake for the TaskManager side: an in-memory JobManagerGateway that accepts registrations
 * with the heartbeat settings a test chooses, answers heartbeats or leaves them hanging (a
 * JobManager behind a cut link), serves job bundles and records every report, acknowledgement
 * and decline. A TaskManager constructed with it needs no JobManager process.
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

/** How the fake answers heartbeats: as a JobManager that knows the TaskManager, one that forgot it, or not at all. */
export type HeartbeatMode = 'known' | 'unknown' | 'hang';

/** See the module comment. */
export class FakeJobManagerGateway implements JobManagerGateway {
  /** Registrations, in call order. */
  readonly registrations: TaskManagerRegistration[] = [];
  /** When each registration arrived (Date.now()). */
  readonly registeredAt: number[] = [];
  /** Task state reports, in call order. */
  readonly states: TaskStateReport[] = [];
  readonly acknowledgements: CheckpointAck[] = [];
  readonly declines: CheckpointDecline[] = [];
  /** Heartbeats received, answered or not. */
  heartbeats = 0;
  /** When the last heartbeat was answered (Date.now()), 0 before any. */
  lastAnsweredAt = 0;
  heartbeatMode: HeartbeatMode = 'known';
  private readonly bundles = new Map<string, { bundle: Buffer; graph: JobGraph }>();

  constructor(private readonly settings: Omit<RegistrationAccepted, 'jobmanagerId'>) {}

  /** Makes a job's bundle and graph available to `getBundle`. */
  addJob(jobId: string, bundle: Buffer, graph: JobGraph): void {
    this.bundles.set(jobId, { bundle, graph });
  }

  /** The states reported for one execution, in order. */
  statesOf(executionId: string): string[] {
    return this.states.filter((s) => s.executionId === executionId).map((s) => s.state);
  }

  async registerTaskManager(registration: TaskManagerRegistration): Promise<RegistrationAccepted> {
    this.registrations.push(registration);
    this.registeredAt.push(Date.now());
    return { jobmanagerId: 'fake-jobmanager', ...this.settings };
  }

  heartbeat(_taskmanagerId: string, _tasks: TaskMetricsSample[]): Promise<boolean> {
    this.heartbeats++;
    if (this.heartbeatMode === 'hang') return new Promise<boolean>(() => undefined);
    this.lastAnsweredAt = Date.now();
    return Promise.resolve(this.heartbeatMode === 'known');
  }

  async updateTaskState(report: TaskStateReport): Promise<void> {
    this.states.push(report);
  }

  async getBundle(jobId: string): Promise<{ bundle: Buffer; graph: JobGraph }> {
    const job = this.bundles.get(jobId);
    if (!job) throw new Error(`the fake JobManager has no job ${jobId}`);
    return job;
  }

  async pushCollected(): Promise<void> {}

  async acknowledgeCheckpoint(ack: CheckpointAck): Promise<void> {
    this.acknowledgements.push(ack);
  }

  async declineCheckpoint(decline: CheckpointDecline): Promise<void> {
    this.declines.push(decline);
  }

  close(): void {}
}
