/**
 * Accepts jobs, creates a job master per job, and answers questions about jobs. It is the
 * JobManager's single entry point for clients, whatever the transport.
 */
import { join } from 'node:path';
import { StorageRoots } from '../common/checkpoint/storage-roots.ts';
import { readMetadata } from '../common/checkpoint/checkpoint-storage.ts';
import { errorMessage, failedPrecondition, invalidArgument, notFound, resourceExhausted } from '../common/errors.ts';
import { newJobId } from '../common/ids.ts';
import { isTerminalJobState, parseExecutionState } from '../common/job-state.ts';
import { validateJobGraph } from '../common/graph/job-graph-validation.ts';
import type { Logger } from '../common/logging.ts';
import type { JobGraph, JobStatusInput } from '../common/rpc/index.ts';
import type { OperatorSubtaskState__Output } from '../proto/generated/sluice/checkpoint/OperatorSubtaskState.ts';
import { resolveCheckpointConfig, type CheckpointOptions } from './checkpoint/checkpoint-config.ts';
import type { CompletedCheckpoint } from './checkpoint/pending-checkpoint.ts';
import type { CollectStore } from './collect-store.ts';
import { checkGraphLimits, type JobLimits } from './job-limits.ts';
import { JobMaster, type JobRunSettings } from './jobmaster/job-master.ts';
import { createRestartStrategy, parseRestartStrategy } from './restart/restart-strategy-config.ts';
import type { SlotPool } from './jobmaster/slot-pool.ts';
import type { RegisteredTaskManager, TaskManagerListener } from './resourcemanager/taskmanager-registry.ts';

/** Settings of the dispatcher. */
export interface DispatcherSettings extends JobLimits {
  slotRequestTimeoutMs: number;
  maxBundleBytes: number;
  cancelTimeoutMs: number;
  /** Where jobs' checkpoints go (one sub-directory per job). */
  checkpointDir: string;
  /** Where savepoints go when a request names no directory. */
  savepointDir?: string;
  /** Directories savepoint requests and restores may name; default the savepoint and checkpoint directories. */
  savepointRoots?: readonly string[];
  /** A TaskManager refused a connection (see `TaskManagerRegistry.markUnreachable`). */
  onTaskManagerUnreachable?: (taskManagerId: string, reason: string) => void;
}

/** How a submitted job wants to run. */
export interface SubmitOptions {
  readonly checkpoint?: CheckpointOptions;
  /** A restart strategy spec (see parseRestartStrategy); empty: none without checkpoints, else the default. */
  readonly restartStrategy?: string;
  /** A savepoint or checkpoint to start from, read with `loadRestore`. */
  readonly restore?: RestorePoint;
}

/** A checkpoint or savepoint read from storage, to start a job from. */
export type RestorePoint = NonNullable<JobRunSettings['restore']>;

/** Hooks for the JobManager's HA store. */
export interface DispatcherListener {
  /** A new job was accepted, with its bundle (not called for resumed jobs). */
  onJobSubmitted?(master: JobMaster, options: SubmitOptions, bundle: Buffer): void;
  /** Awaited before the job's tasks hear that the checkpoint completed. */
  onCheckpointCompleted?(master: JobMaster, checkpoint: CompletedCheckpoint): Promise<void> | void;
  onJobTerminal?(master: JobMaster): void;
}

/** Owns the job masters. */
export class Dispatcher implements TaskManagerListener {
  private readonly jobs = new Map<string, JobMaster>();
  /** Ids of the ended jobs still retained, in the order they ended. */
  private readonly ended: string[] = [];

  constructor(
    private readonly slotPool: SlotPool,
    private readonly collected: CollectStore,
    private readonly settings: DispatcherSettings,
    private readonly log: Logger,
  ) {
    this.roots = new StorageRoots(settings.savepointRoots ?? [settings.savepointDir ?? join(settings.checkpointDir, 'savepoints'), settings.checkpointDir]);
  }

  private readonly roots: StorageRoots;

  /** Hooks for the HA store; set once the store is open. */
  listener: DispatcherListener = {};

  /** Every job, newest first. */
  get allJobs(): JobMaster[] {
    return [...this.jobs.values()].reverse();
  }

  /** Jobs that have not ended. */
  get runningJobs(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (!isTerminalJobState(job.state)) n++;
    return n;
  }

  /**
   * Validates and starts a job; returns its id. Throws INVALID_ARGUMENT for a bad bundle or graph
   * (or one above the vertex and parallelism limits), RESOURCE_EXHAUSTED when `maxRunningJobs`
   * jobs are running.
   */
  submit(graph: JobGraph, bundle: Buffer, options: SubmitOptions = {}): string {
    if (bundle.length === 0) throw invalidArgument('SubmitJob: the job bundle is empty');
    if (bundle.length > this.settings.maxBundleBytes) {
      throw invalidArgument(`SubmitJob: bundle too large: ${bundle.length} bytes, the limit is ${this.settings.maxBundleBytes} bytes (maxBundleBytes)`);
    }
    checkGraphLimits(graph, this.settings);
    const vertices = validateJobGraph(graph);
    const running = this.runningJobs;
    if (running >= this.settings.maxRunningJobs) {
      throw resourceExhausted(`SubmitJob: ${running} jobs are running, the JobManager's limit is ${this.settings.maxRunningJobs} (maxRunningJobs); wait for one to end or cancel one`);
    }
    const jobId = newJobId();
    const run = this.runSettings(jobId, options);
    const master = this.startJob(jobId, graph, vertices, bundle, run);
    this.listener.onJobSubmitted?.(master, options, bundle);
    return jobId;
  }

  /** Reads a savepoint or checkpoint (its `_metadata` file or directory) to start a job from. */
  async loadRestore(path: string): Promise<RestorePoint> {
    const confined = await this.roots.confine(path, 'the restore path');
    try {
      return await readMetadata(confined);
    } catch (error) {
      throw invalidArgument(`cannot restore from ${path}: ${errorMessage(error)}`);
    }
  }

  /** Resumes a job of an earlier JobManager life under its old id, from its latest checkpoint. */
  resume(jobId: string, graph: JobGraph, bundle: Buffer, options: SubmitOptions, lastCheckpointId: number, firstAttempt: number): void {
    const vertices = validateJobGraph(graph);
    const run = { ...this.runSettings(jobId, options), lastCheckpointId, firstAttempt };
    this.startJob(jobId, graph, vertices, bundle, run);
  }

  private runSettings(jobId: string, options: SubmitOptions): JobRunSettings {
    const checkpoint = resolveCheckpointConfig(options.checkpoint ?? {}, jobId, this.settings.checkpointDir, this.settings.savepointDir, this.roots.paths);
    let restartStrategy;
    try {
      const spec = options.restartStrategy || (checkpoint.intervalMs > 0 ? undefined : 'none');
      restartStrategy = createRestartStrategy(spec === undefined ? undefined : parseRestartStrategy(spec));
    } catch (error) {
      throw invalidArgument(`restart strategy: ${errorMessage(error)}`);
    }
    return { checkpoint, restartStrategy, restore: options.restore };
  }

  private startJob(jobId: string, graph: JobGraph, vertices: ReturnType<typeof validateJobGraph>, bundle: Buffer, run: JobRunSettings): JobMaster {
    const master = new JobMaster(
      jobId,
      graph,
      vertices,
      bundle,
      {
        slotPool: this.slotPool,
        slotRequestTimeoutMs: this.settings.slotRequestTimeoutMs,
        cancelTimeoutMs: this.settings.cancelTimeoutMs,
        log: this.log,
        onTerminal: (m) => {
          this.log.info({ job: m.jobId, state: m.state, failure: m.failure || undefined }, 'job ended');
          this.listener.onJobTerminal?.(m);
          this.retain(m.jobId);
        },
        onCheckpointCompleted: (m, checkpoint) => this.listener.onCheckpointCompleted?.(m, checkpoint),
        onTaskManagerUnreachable: (id, reason) => this.settings.onTaskManagerUnreachable?.(id, reason),
      },
      run,
    );
    this.jobs.set(jobId, master);
    this.log.info({ job: jobId, name: graph.name, vertices: vertices.length, restore: run.restore?.metadataFile }, 'job submitted');
    void master.start();
    return master;
  }

  /** Keeps an ended job for status, forgetting the oldest ended jobs beyond `maxRetainedJobs`. */
  private retain(jobId: string): void {
    this.ended.push(jobId);
    while (this.ended.length > this.settings.maxRetainedJobs) {
      const forgotten = this.ended.shift()!;
      this.jobs.delete(forgotten);
      this.collected.drop(forgotten);
      this.log.info({ job: forgotten, retained: this.settings.maxRetainedJobs }, 'ended job forgotten');
    }
  }

  /** The code bundle of a running job; FAILED_PRECONDITION once the job has ended and released it. */
  bundleOf(jobId: string): Buffer {
    const master = this.job(jobId);
    const bundle = master.bundle;
    if (bundle === undefined) throw failedPrecondition(`job ${jobId} is ${master.state}: its bundle was released when it ended`);
    return bundle;
  }

  /** Takes a savepoint of a job, optionally stopping it; resolves with the savepoint's directory. */
  async savepoint(jobId: string, directory: string | undefined, stop: boolean): Promise<string> {
    const master = this.job(jobId);
    if (directory !== undefined) directory = await this.roots.confine(directory, 'the savepoint directory');
    try {
      const savepoint = stop ? await master.stopWithSavepoint(directory) : await master.savepoint(directory);
      return savepoint.directory;
    } catch (error) {
      throw failedPrecondition(errorMessage(error));
    }
  }

  /** Rescales a job through a savepoint; resolves with the savepoint's directory. */
  async rescale(jobId: string, parallelism: number): Promise<string> {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw invalidArgument(`parallelism must be a positive integer, got ${parallelism}`);
    const master = this.job(jobId);
    try {
      return (await master.rescale(parallelism)).directory;
    } catch (error) {
      throw failedPrecondition(errorMessage(error));
    }
  }

  /**
   * Routes a task's checkpoint acknowledgement, as it arrived (the coordinator checks it). Throws
   * FAILED_PRECONDITION for an execution that is not of the job's current attempt: a stale
   * attempt cannot add state to a checkpoint.
   */
  acknowledgeCheckpoint(jobId: string, executionId: string, checkpointId: number, states: readonly OperatorSubtaskState__Output[], sizeBytes: number, incrementalBytes: number): void {
    const refusal = this.jobs.get(jobId)?.checkpoints.acknowledge(executionId, checkpointId, states, sizeBytes, incrementalBytes);
    if (refusal !== undefined) throw failedPrecondition(refusal);
  }

  /** Routes a task's checkpoint refusal; FAILED_PRECONDITION, as for acknowledgements, from a stale attempt. */
  declineCheckpoint(jobId: string, executionId: string, checkpointId: number, reason: string): void {
    const refusal = this.jobs.get(jobId)?.checkpoints.decline(executionId, checkpointId, reason);
    if (refusal !== undefined) throw failedPrecondition(refusal);
  }

  /** Finds a job or throws NOT_FOUND. */
  job(jobId: string): JobMaster {
    const master = this.jobs.get(jobId);
    if (!master) throw notFound(`unknown job id ${jobId}`);
    return master;
  }

  /** Cancels a job; FAILED_PRECONDITION for a job that has ended. */
  cancel(jobId: string): void {
    this.job(jobId).cancel();
  }

  /**
   * Why TaskManager `taskManagerId` may not report on `executionId` of `jobId`, or undefined when
   * it may: the execution runs there, or is not one the job knows (a report of an old attempt,
   * which is ignored anyway).
   */
  reportRefusal(taskManagerId: string, jobId: string, executionId: string): string | undefined {
    const host = this.jobs.get(jobId)?.hostOf(executionId);
    return host === undefined || host === taskManagerId ? undefined : `execution ${executionId} of job ${jobId} does not run on TaskManager ${taskManagerId}`;
  }

  /** Why TaskManager `taskManagerId` may not fetch the bundle of, or push output for, `jobId`, or undefined. */
  jobAccessRefusal(taskManagerId: string, jobId: string): string | undefined {
    return this.job(jobId).runsOn(taskManagerId) ? undefined : `job ${jobId} has no task on TaskManager ${taskManagerId}`;
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
    const counts = m.checkpoints.counts;
    const latest = m.checkpoints.latest;
    return {
      jobId,
      name: m.jobGraph.name,
      state: m.state,
      restarts: m.restarts,
      lastFailure: m.lastFailure?.cause ?? '',
      lastFailureTime: m.lastFailure?.time ?? 0,
      checkpoints: {
        completed: counts.completed,
        failed: counts.failed,
        inProgress: counts.inProgress,
        latest: latest
          ? {
              id: latest.checkpointId,
              durationMs: latest.completedAt - latest.triggeredAt,
              sizeBytes: latest.sizeBytes,
              incrementalBytes: latest.incrementalBytes,
              completedAt: latest.completedAt,
              path: latest.metadataFile,
              savepoint: latest.isSavepoint,
            }
          : undefined,
      },
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
        executionId: e.id,
      })),
    };
  }
}
