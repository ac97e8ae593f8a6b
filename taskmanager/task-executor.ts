/**
 * Runs the tasks the JobManager deploys: fetches each job's bundle once, rebuilds the job plan
 * from it for every task (so that each subtask gets its own instances of the user's functions, as
 * Flink deserializes a copy per subtask), builds and starts tasks, and reports their states.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadJobBundle } from '../client/bundle/load-job.ts';
import { buildJob } from '../client/graph/build-job.ts';
import type { JobDefinition } from '../client/api/job-definition.ts';
import type { JobPlan } from '../client/graph/job-plan.ts';
import { createRecordCodec } from '../common/codec.ts';
import { errorMessage, notFound } from '../common/errors.ts';
import { isTerminalExecutionState, type ExecutionState } from '../common/job-state.ts';
import type { Logger } from '../common/logging.ts';
import type { JobGraph, TaskDeployment } from '../common/rpc/index.ts';
import type { JobManagerGateway, TaskMetricsSample } from './gateway/jobmanager-gateway.ts';
import { JobStateStores } from './state/job-state-stores.ts';
import type { WriteBackCacheOptions } from './state/write-back-cache.ts';
import { buildTaskParts, type TaskEnvironment } from './task/build-task-parts.ts';
import { Task } from './task/task.ts';
import type { Barrier } from './task/barrier-aligner.ts';
import type { CheckpointResponder } from './checkpoint/subtask-checkpointer.ts';

/** Holds the tasks of one TaskManager. */
/** A job's code, loaded from its bundle, and the graph it was submitted with. */
interface LoadedJob {
  readonly definition: JobDefinition;
  readonly graph: JobGraph;
}

export class TaskExecutor {
  private readonly jobs = new Map<string, Promise<LoadedJob>>();
  private readonly tasks = new Map<string, Task>();
  private readonly states: JobStateStores;

  constructor(
    private readonly taskmanagerId: () => string,
    private readonly jobManager: () => JobManagerGateway,
    private readonly env: Omit<TaskEnvironment, 'pushCollected' | 'keyedState'>,
    private readonly dataDir: string,
    stateCache: WriteBackCacheOptions,
    private readonly log: Logger,
  ) {
    this.states = new JobStateStores(dataDir, stateCache);
  }

  /** Every task currently known, running or just ended. */
  get allTasks(): Task[] {
    return [...this.tasks.values()];
  }

  /** Starts a task. Resolves once it is accepted, not when it ends. */
  async deploy(deployment: TaskDeployment): Promise<void> {
    const plan = this.buildPlan(await this.jobFor(deployment.jobId));
    const vertex = plan.vertices.get(deployment.vertexId);
    if (!vertex) throw notFound(`job ${deployment.jobId} has no vertex ${deployment.vertexId} in its bundle`);
    const name = `${vertex.name} (${deployment.subtask + 1}/${deployment.parallelism})`;
    const log = this.log.child({ job: deployment.jobId, task: name, attempt: deployment.attempt });
    const env: TaskEnvironment = {
      ...this.env,
      log,
      pushCollected: (jobId, sinkId, records) => this.pushCollected(jobId, sinkId, records),
      keyedState: (request) => this.states.keyedState(request),
    };
    const { jobId, executionId } = deployment;
    const responder: CheckpointResponder = {
      acknowledge: (checkpointId, states, sizeBytes, incrementalBytes) =>
        this.jobManager().acknowledgeCheckpoint({ jobId, executionId, checkpointId, stateJson: JSON.stringify(states), sizeBytes, incrementalBytes }),
      decline: (checkpointId, reason) => this.jobManager().declineCheckpoint({ jobId, executionId, checkpointId, reason }),
    };
    const task = new Task(deployment, name, (t) => buildTaskParts(t, deployment, vertex, env), (t, state, failure) => this.report(t, state, failure), log, responder);
    this.tasks.set(deployment.executionId, task);
    void task.run().finally(() => {
      if (this.tasks.get(deployment.executionId) === task) this.tasks.delete(deployment.executionId);
    });
  }

  /** Triggers a checkpoint in a task (a source, or a task that finished its input). */
  triggerCheckpoint(executionId: string, barrier: Barrier): void {
    const task = this.tasks.get(executionId);
    if (!task) throw notFound(`no task ${executionId} on this TaskManager`);
    task.triggerCheckpoint(barrier);
  }

  /** Tells every task of a job that a checkpoint completed or was aborted. */
  notifyCheckpoint(jobId: string, checkpointId: number, completed: boolean): void {
    for (const t of this.tasks.values()) if (t.deployment.jobId === jobId) t.notifyCheckpoint(checkpointId, completed);
  }

  /** Cancels a task; unknown ids are ignored (the task may have ended). */
  cancel(executionId: string): void {
    this.tasks.get(executionId)?.cancel();
  }

  /** Cancels every task, for example when the JobManager is lost. */
  cancelAll(): void {
    for (const t of this.tasks.values()) t.cancel();
  }

  /** Forgets a job: its plan, its bundle file, its pending subscriptions. */
  async releaseJob(jobId: string): Promise<void> {
    for (const t of this.tasks.values()) if (t.deployment.jobId === jobId) t.cancel();
    this.jobs.delete(jobId);
    this.env.partitions.releaseJob(jobId);
    await this.states.release(jobId).catch((error: unknown) => this.log.warn({ job: jobId, err: errorMessage(error) }, 'could not release job state'));
    await rm(join(this.dataDir, 'jobs', jobId), { recursive: true, force: true });
  }

  /** Counters of every task, for heartbeats. */
  metricsSamples(): TaskMetricsSample[] {
    return this.allTasks.map((t) => ({ executionId: t.deployment.executionId, recordsIn: t.metrics.recordsIn, recordsOut: t.metrics.totalRecordsOut }));
  }

  /** Closes every job's state database. */
  async close(): Promise<void> {
    await this.states.closeAll();
  }

  private jobFor(jobId: string): Promise<LoadedJob> {
    let job = this.jobs.get(jobId);
    if (!job) {
      job = this.loadJob(jobId);
      this.jobs.set(jobId, job);
      job.catch(() => this.jobs.delete(jobId));
    }
    return job;
  }

  private buildPlan(job: LoadedJob): JobPlan {
    return buildJob(job.definition, { parallelism: job.graph.defaultParallelism, args: job.graph.args });
  }

  private async loadJob(jobId: string): Promise<LoadedJob> {
    const { bundle, graph } = await this.jobManager().getBundle(jobId);
    const dir = join(this.dataDir, 'jobs', jobId);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'bundle.cjs');
    await writeFile(file, bundle);
    const definition = loadJobBundle(bundle.toString('utf8'), file);
    const plan = this.buildPlan({ definition, graph });
    const expected = graph.vertices.map((v) => v.id).sort().join(',');
    const rebuilt = [...plan.vertices.keys()].sort().join(',');
    if (expected !== rebuilt) throw new Error(`job ${jobId}: the bundle builds a different graph than the one submitted; job modules must build the same graph every time`);
    this.log.info({ job: jobId, vertices: plan.vertices.size }, 'job bundle loaded');
    return { definition, graph };
  }

  private async pushCollected(jobId: string, sinkId: string, records: readonly unknown[]): Promise<void> {
    const bytes = createRecordCodec().encodeBatch(records);
    await this.jobManager().pushCollected(jobId, sinkId, bytes, records.length);
  }

  private report(task: Task, state: ExecutionState, failure?: string): void {
    const { jobId, executionId } = task.deployment;
    this.log.debug({ job: jobId, task: task.name, state }, 'task state');
    this.jobManager()
      .updateTaskState({ taskmanagerId: this.taskmanagerId(), jobId, executionId, state, failure: failure ?? '', recordsIn: task.metrics.recordsIn, recordsOut: task.metrics.totalRecordsOut })
      .catch((error: unknown) => {
        if (isTerminalExecutionState(state)) this.log.warn({ job: jobId, task: task.name, state, err: errorMessage(error) }, 'could not report task state');
      });
  }
}
