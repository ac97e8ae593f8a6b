/**
 * Runs the tasks the JobManager deploys: fetches each job's bundle once, rebuilds the job plan
 * from it, builds and starts tasks, and reports their states.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadJobBundle } from '../client/bundle/load-job.ts';
import { buildJob } from '../client/graph/build-job.ts';
import type { JobPlan } from '../client/graph/job-plan.ts';
import { createRecordCodec } from '../common/codec.ts';
import { errorMessage, notFound } from '../common/errors.ts';
import { isTerminalExecutionState, type ExecutionState } from '../common/job-state.ts';
import type { Logger } from '../common/logging.ts';
import type { TaskDeployment } from '../common/rpc/index.ts';
import type { JobManagerGateway, TaskMetricsSample } from './gateway/jobmanager-gateway.ts';
import { buildTaskParts, type TaskEnvironment } from './task/build-task-parts.ts';
import { Task } from './task/task.ts';

/** Holds the tasks of one TaskManager. */
export class TaskExecutor {
  private readonly plans = new Map<string, Promise<JobPlan>>();
  private readonly tasks = new Map<string, Task>();

  constructor(
    private readonly taskmanagerId: () => string,
    private readonly jobManager: () => JobManagerGateway,
    private readonly env: Omit<TaskEnvironment, 'pushCollected'>,
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  /** Every task currently known, running or just ended. */
  get allTasks(): Task[] {
    return [...this.tasks.values()];
  }

  /** Starts a task. Resolves once it is accepted, not when it ends. */
  async deploy(deployment: TaskDeployment): Promise<void> {
    const plan = await this.planFor(deployment.jobId);
    const vertex = plan.vertices.get(deployment.vertexId);
    if (!vertex) throw notFound(`job ${deployment.jobId} has no vertex ${deployment.vertexId} in its bundle`);
    const name = `${vertex.name} (${deployment.subtask + 1}/${deployment.parallelism})`;
    const log = this.log.child({ job: deployment.jobId, task: name, attempt: deployment.attempt });
    const env: TaskEnvironment = { ...this.env, log, pushCollected: (jobId, sinkId, records) => this.pushCollected(jobId, sinkId, records) };
    const task = new Task(deployment, name, (t) => buildTaskParts(t, deployment, vertex, env), (t, state, failure) => this.report(t, state, failure), log);
    this.tasks.set(deployment.executionId, task);
    void task.run().finally(() => {
      if (this.tasks.get(deployment.executionId) === task) this.tasks.delete(deployment.executionId);
    });
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
    this.plans.delete(jobId);
    this.env.partitions.releaseJob(jobId);
    await rm(join(this.dataDir, 'jobs', jobId), { recursive: true, force: true });
  }

  /** Counters of every task, for heartbeats. */
  metricsSamples(): TaskMetricsSample[] {
    return this.allTasks.map((t) => ({ executionId: t.deployment.executionId, recordsIn: t.metrics.recordsIn, recordsOut: t.metrics.totalRecordsOut }));
  }

  private planFor(jobId: string): Promise<JobPlan> {
    let plan = this.plans.get(jobId);
    if (!plan) {
      plan = this.loadPlan(jobId);
      this.plans.set(jobId, plan);
      plan.catch(() => this.plans.delete(jobId));
    }
    return plan;
  }

  private async loadPlan(jobId: string): Promise<JobPlan> {
    const { bundle, graph } = await this.jobManager().getBundle(jobId);
    const dir = join(this.dataDir, 'jobs', jobId);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'bundle.cjs');
    await writeFile(file, bundle);
    const definition = loadJobBundle(bundle.toString('utf8'), file);
    const plan = buildJob(definition, { parallelism: graph.defaultParallelism, args: graph.args });
    const expected = graph.vertices.map((v) => v.id).sort().join(',');
    const rebuilt = [...plan.vertices.keys()].sort().join(',');
    if (expected !== rebuilt) throw new Error(`job ${jobId}: the bundle builds a different graph than the one submitted; job modules must build the same graph every time`);
    this.log.info({ job: jobId, vertices: plan.vertices.size }, 'job bundle loaded');
    return plan;
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
