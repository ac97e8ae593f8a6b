/**
 * Accepts jobs, creates a job master per job, and answers questions about jobs. It is the
 * JobManager's single entry point for clients, whatever the transport.
 */
import { invalidArgument, notFound } from '../common/errors.ts';
import { newJobId } from '../common/ids.ts';
import { parseExecutionState } from '../common/job-state.ts';
import { validateJobGraph } from '../common/job-graph.ts';
import type { Logger } from '../common/logging.ts';
import type { JobGraph, JobStatusInput } from '../common/rpc/index.ts';
import type { CollectStore } from './collect-store.ts';
import { JobMaster } from './jobmaster/job-master.ts';
import type { SlotPool } from './jobmaster/slot-pool.ts';
import type { RegisteredTaskManager, TaskManagerListener } from './resourcemanager/taskmanager-registry.ts';

/** Settings of the dispatcher. */
export interface DispatcherSettings {
  slotRequestTimeoutMs: number;
  maxBundleBytes: number;
  cancelTimeoutMs: number;
}

/** Owns the job masters. */
export class Dispatcher implements TaskManagerListener {
  private readonly jobs = new Map<string, JobMaster>();

  constructor(
    private readonly slotPool: SlotPool,
    private readonly collected: CollectStore,
    private readonly settings: DispatcherSettings,
    private readonly log: Logger,
  ) {}

  /** Every job, newest first. */
  get allJobs(): JobMaster[] {
    return [...this.jobs.values()].reverse();
  }

  /** Validates and starts a job; returns its id. */
  submit(graph: JobGraph, bundle: Buffer): string {
    if (bundle.length === 0) throw invalidArgument('the job bundle is empty');
    if (bundle.length > this.settings.maxBundleBytes) {
      throw invalidArgument(`bundle too large: ${bundle.length} bytes, the limit is ${this.settings.maxBundleBytes} bytes`);
    }
    const vertices = validateJobGraph(graph);
    const jobId = newJobId();
    const master = new JobMaster(jobId, graph, vertices, bundle, {
      slotPool: this.slotPool,
      slotRequestTimeoutMs: this.settings.slotRequestTimeoutMs,
      cancelTimeoutMs: this.settings.cancelTimeoutMs,
      log: this.log,
      onTerminal: (m) => this.log.info({ job: m.jobId, state: m.state, failure: m.failure || undefined }, 'job ended'),
    });
    this.jobs.set(jobId, master);
    this.log.info({ job: jobId, name: graph.name, vertices: vertices.length }, 'job submitted');
    void master.start();
    return jobId;
  }

  /** Finds a job or throws NOT_FOUND. */
  job(jobId: string): JobMaster {
    const master = this.jobs.get(jobId);
    if (!master) throw notFound(`unknown job id ${jobId}`);
    return master;
  }

  /** Cancels a job. */
  cancel(jobId: string): void {
    this.job(jobId).cancel();
  }

  /** Applies a task state report. */
  onTaskState(jobId: string, executionId: string, state: string, failure: string): void {
    this.jobs.get(jobId)?.onExecutionState(executionId, parseExecutionState(state), failure);
  }

  /** Applies heartbeat counters. */
  onTaskMetrics(samples: readonly { executionId: string; recordsIn: number; recordsOut: number }[]): void {
    for (const s of samples) for (const job of this.jobs.values()) job.onExecutionMetrics(s.executionId, s.recordsIn, s.recordsOut);
  }

  /** Stores a batch from a collect sink. */
  pushCollected(jobId: string, bytes: Buffer, count: number): void {
    this.job(jobId);
    this.collected.push(jobId, bytes, count);
  }

  onTaskManagerRegistered(): void {}

  onTaskManagerLost(tm: RegisteredTaskManager, reason: string): void {
    for (const job of this.jobs.values()) job.onTaskManagerLost(tm, reason);
  }

  /** The status of a job, in the wire shape. */
  status(jobId: string, withGraph = false): JobStatusInput {
    const m = this.job(jobId);
    const executions = m.executionGraph.executions;
    const sourceVertices = new Set(m.jobGraph.vertices.filter((v) => v.isSource).map((v) => v.id));
    const consumed = new Set(m.jobGraph.vertices.flatMap((v) => v.inputs.map((e) => e.sourceVertexId)));
    let recordsIn = 0;
    let recordsOut = 0;
    for (const e of executions) {
      if (sourceVertices.has(e.vertex.id)) recordsIn += e.recordsIn;
      if (!consumed.has(e.vertex.id)) recordsOut += e.recordsOut;
    }
    return {
      jobId,
      name: m.jobGraph.name,
      state: m.state,
      startTime: m.startTime,
      endTime: m.endTime,
      failure: m.failure,
      recordsIn,
      recordsOut,
      graph: withGraph ? m.jobGraph : undefined,
      tasks: executions.map((e) => ({
        vertexId: e.vertex.id,
        vertexName: e.vertex.name,
        subtask: e.subtask,
        attempt: e.attempt,
        state: e.state,
        taskmanagerId: e.slot?.taskManager.id ?? '',
        recordsIn: e.recordsIn,
        recordsOut: e.recordsOut,
        failure: e.failure,
      })),
    };
  }
}
