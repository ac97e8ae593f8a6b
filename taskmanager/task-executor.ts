/**
 * Runs the tasks the JobManager deploys: builds each task from a fresh plan of its job (see
 * job/job-table.ts), starts it, reports its states, and relays checkpoint triggers and
 * notifications to it.
 *
 * Tasks are fenced by attempt. A cancelled task hears of no checkpoint any more, a notification
 * reaches only the tasks of the attempt it names, and the deployment of a newer attempt of a job
 * cancels the tasks of its older attempts that are still here: a stale attempt, one the
 * JobManager restarted the job without while this TaskManager was cut off, never commits.
 */
import { join } from 'node:path';
import { createRecordCodec } from '../common/codec.ts';
import { errorMessage, notFound } from '../common/errors.ts';
import { isTerminalExecutionState, type ExecutionState } from '../common/job-state.ts';
import type { Logger } from '../common/logging.ts';
import type { CheckpointBarrier, TaskDeployment } from '../common/rpc/index.ts';
import type { JobManagerGateway, TaskMetricsSample } from './gateway/jobmanager-gateway.ts';
import { JobTable } from './job/job-table.ts';
import { JobStateStores } from './state/job-state-stores.ts';
import type { QueryAnswer } from './state/queryable-states.ts';
import type { KeyValue } from '../common/key-groups.ts';
import type { WriteBackCacheOptions } from './state/write-back-cache.ts';
import { buildTaskParts } from './task/build-task-parts.ts';
import type { TaskEnvironment } from './task/task-environment.ts';
import { Task } from './task/task.ts';
import type { CheckpointResponder } from './checkpoint/subtask-checkpointer.ts';
import { dropJobSlots } from '../connectors/postgres-cdc/slot-janitor.ts';

/** How the task of `deployment` answers checkpoints: acknowledgements and declines to the JobManager. */
export function checkpointResponder(jobManager: () => JobManagerGateway, deployment: TaskDeployment): CheckpointResponder {
  const { jobId, executionId } = deployment;
  return {
    acknowledge: (checkpointId, states, sizeBytes, incrementalBytes) => jobManager().acknowledgeCheckpoint({ jobId, executionId, checkpointId, states, sizeBytes, incrementalBytes }),
    decline: (checkpointId, reason) => jobManager().declineCheckpoint({ jobId, executionId, checkpointId, reason }),
  };
}

/** Holds the tasks of one TaskManager. */
export class TaskExecutor {
  private readonly jobs: JobTable;
  private readonly tasks = new Map<string, Task>();
  /** Tasks cancelled and not yet ended: they take no checkpoint and commit nothing. */
  private readonly fenced = new WeakSet<Task>();
  private readonly states: JobStateStores;

  constructor(
    private readonly taskmanagerId: () => string,
    private readonly jobManager: () => JobManagerGateway,
    private readonly env: Omit<TaskEnvironment, 'pushCollected' | 'keyedState'>,
    dataDir: string,
    stateCache: WriteBackCacheOptions,
    private readonly log: Logger,
  ) {
    this.states = new JobStateStores(dataDir, stateCache);
    this.jobs = new JobTable((jobId) => this.jobManager().getBundle(jobId), join(dataDir, 'jobs'), log);
  }

  /** Every task currently known, running or just ended. */
  get allTasks(): Task[] {
    return [...this.tasks.values()];
  }

  /** Starts a task. Resolves once it is accepted, not when it ends. */
  async deploy(deployment: TaskDeployment): Promise<void> {
    const plan = await this.jobs.plan(deployment.jobId);
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
    this.fenceOlderAttempts(deployment.jobId, deployment.attempt);
    const responder = checkpointResponder(this.jobManager, deployment);
    const task = new Task(deployment, name, (t) => buildTaskParts(t, deployment, vertex, env), (t, state, failure) => this.report(t, state, failure), log, responder);
    this.tasks.set(deployment.executionId, task);
    void task.run().finally(() => {
      if (this.tasks.get(deployment.executionId) === task) this.tasks.delete(deployment.executionId);
    });
  }

  /** Triggers a checkpoint in a task (a source, or a task that finished its input); NOT_FOUND for a task that is gone or cancelled. */
  triggerCheckpoint(executionId: string, barrier: CheckpointBarrier): void {
    const task = this.tasks.get(executionId);
    if (!task || this.fenced.has(task)) throw notFound(`no running task ${executionId} on this TaskManager`);
    task.triggerCheckpoint(barrier);
  }

  /** Reads a queryable state of a running task under a key (see `QueryableStates`). */
  async queryState(executionId: string, stateName: string, key: KeyValue): Promise<QueryAnswer> {
    const task = this.tasks.get(executionId);
    if (!task || this.fenced.has(task)) throw notFound(`no running task ${executionId} on this TaskManager`);
    return task.queryState(stateName, key);
  }

  /**
   * Tells the tasks of one attempt of a job that a checkpoint completed or was aborted. Tasks of
   * other attempts, and cancelled tasks, are not told.
   */
  notifyCheckpoint(jobId: string, attempt: number, checkpointId: number, completed: boolean): void {
    for (const t of this.tasks.values()) {
      if (t.deployment.jobId !== jobId || this.fenced.has(t)) continue;
      if (t.deployment.attempt !== attempt) {
        this.log.warn({ job: jobId, task: t.name, attempt: t.deployment.attempt, notified: attempt, checkpoint: checkpointId }, 'checkpoint notification of another attempt not delivered');
        continue;
      }
      t.notifyCheckpoint(checkpointId, completed);
    }
  }

  /** Cancels a task; unknown ids are ignored (the task may have ended). */
  cancel(executionId: string): void {
    const task = this.tasks.get(executionId);
    if (task) this.fence(task);
  }

  /** Cancels every task, for example when the JobManager is lost. */
  cancelAll(): void {
    for (const t of this.tasks.values()) this.fence(t);
  }

  /** Forgets a job: its plan, its bundle file, its pending subscriptions. */
  async releaseJob(jobId: string): Promise<void> {
    for (const t of this.tasks.values()) if (t.deployment.jobId === jobId) this.fence(t);
    this.env.partitions.releaseJob(jobId);
    await dropJobSlots(jobId);
    await this.states.release(jobId).catch((error: unknown) => this.log.warn({ job: jobId, err: errorMessage(error) }, 'could not release job state'));
    await this.jobs.release(jobId);
  }

  /** Counters of every task, for heartbeats. */
  metricsSamples(): TaskMetricsSample[] {
    return this.allTasks.map((t) => ({ executionId: t.deployment.executionId, recordsIn: t.metrics.recordsIn, recordsOut: t.metrics.totalRecordsOut }));
  }

  /** Closes every job's state database. */
  async close(): Promise<void> {
    await this.states.closeAll();
  }

  /** Cancels a task and keeps it from taking or committing any checkpoint until it ends. */
  private fence(task: Task): void {
    this.fenced.add(task);
    task.cancel();
  }

  /** Cancels the tasks of `jobId` whose attempt is older than `attempt`, a newer one being deployed. */
  private fenceOlderAttempts(jobId: string, attempt: number): void {
    for (const t of this.tasks.values()) {
      if (t.deployment.jobId !== jobId || t.deployment.attempt >= attempt || this.fenced.has(t)) continue;
      this.log.warn({ job: jobId, task: t.name, attempt: t.deployment.attempt, deployed: attempt }, 'cancelling a task of a stale attempt');
      this.fence(t);
    }
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
