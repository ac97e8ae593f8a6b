/**
 * Runs one job: asks the slot pool for slots, deploys every execution, follows their states, and
 * drives the job through its lifecycle (see common/job-state.ts). It owns the job's checkpoint
 * coordinator. A failed task or a lost TaskManager fails the current execution; the restart
 * strategy then decides whether the job restarts (a new attempt of every task, restored from the
 * latest completed checkpoint) or ends FAILED.
 */
import { dirname } from 'node:path';
import { filesReferencedBy, readMetadata } from '../../common/checkpoint/checkpoint-storage.ts';
import { status } from '@grpc/grpc-js';
import { errorMessage, failedPrecondition, hasGrpcCode } from '../../common/errors.ts';
import { canTransitionJob, isTerminalExecutionState, isTerminalJobState, type ExecutionState, type JobState } from '../../common/job-state.ts';
import type { Logger } from '../../common/logging.ts';
import type { JobGraph, JobVertex } from '../../common/rpc/index.ts';
import { CheckpointCoordinator, type CheckpointJob, type CheckpointOperator, type CheckpointTask } from '../checkpoint/checkpoint-coordinator.ts';
import type { CheckpointConfig } from '../checkpoint/checkpoint-config.ts';
import type { CompletedCheckpoint } from '../checkpoint/pending-checkpoint.ts';
import { assignTaskRestore, restoreProblems, type RestoreSource } from '../checkpoint/state-assignment.ts';
import type { RegisteredTaskManager } from '../resourcemanager/taskmanager-registry.ts';
import type { RestartStrategy } from '../restart/restart-strategy.ts';
import { ExecutionGraph, type Execution } from './execution-graph.ts';
import type { SlotPool } from './slot-pool.ts';

/** What a job master needs from the JobManager. */
export interface JobMasterServices {
  readonly slotPool: SlotPool;
  readonly slotRequestTimeoutMs: number;
  /** How long cancelled executions may take to confirm before they are given up on. */
  readonly cancelTimeoutMs: number;
  readonly log: Logger;
  /** Called once the job reaches a terminal state. */
  onTerminal(master: JobMaster): void;
  /** A TaskManager refused a connection: it is gone, whatever its heartbeats say. */
  onTaskManagerUnreachable?(taskManagerId: string, reason: string): void;
  /** Called after a checkpoint completed, to keep a pointer to it (JobManager HA); awaited before tasks hear of it. */
  onCheckpointCompleted?(master: JobMaster, checkpoint: CompletedCheckpoint): Promise<void> | void;
}

/** How a job runs: checkpoints, restarts, and where it starts from. */
export interface JobRunSettings {
  readonly checkpoint: CheckpointConfig;
  readonly restartStrategy: RestartStrategy;
  /** A checkpoint or savepoint to start from. */
  readonly restore?: RestoreSource & { readonly metadataFile: string };
  /** The highest checkpoint id of an earlier life of the job (JobManager failover). */
  readonly lastCheckpointId?: number;
  /** The attempt number of the first execution (above every attempt of earlier lives). */
  readonly firstAttempt?: number;
}

/** The latest failure of a job, for status. */
export interface FailureInfo {
  readonly cause: string;
  readonly time: number;
}

/** The master of one job. */
export class JobMaster implements CheckpointJob {
  private jobState: JobState = 'CREATED';
  private failureCause = '';
  private lastFailureInfo: FailureInfo | undefined;
  readonly startTime = Date.now();
  private finishedAt = 0;
  private graph: ExecutionGraph;
  private vertexList: JobVertex[];
  private cancelTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private attemptNumber = 0;
  private restartCount = 0;
  private stopping = false;
  /** Set while a rescale waits for the old executions to end. */
  private rescaleTo: { parallelism: number; restore: RestoreSource & { metadataFile: string } } | undefined;
  readonly checkpoints: CheckpointCoordinator;
  private jobBundle: Buffer | undefined;

  constructor(
    readonly jobId: string,
    readonly jobGraph: JobGraph,
    vertices: readonly JobVertex[],
    bundle: Buffer,
    private readonly services: JobMasterServices,
    private readonly settings: JobRunSettings,
  ) {
    this.jobBundle = bundle;
    this.vertexList = [...vertices];
    this.attemptNumber = settings.firstAttempt ?? 0;
    this.graph = new ExecutionGraph(jobId, jobGraph, this.vertexList, this.attemptNumber);
    this.checkpoints = new CheckpointCoordinator(this, settings.checkpoint, services.log, settings.lastCheckpointId ?? 0);
    if (settings.restore) {
      const { metadata, metadataFile } = settings.restore;
      this.checkpoints.restoredFrom({
        checkpointId: metadata.checkpointId,
        isSavepoint: metadata.isSavepoint,
        directory: dirname(metadataFile),
        metadataFile,
        triggeredAt: metadata.triggeredAt,
        completedAt: metadata.completedAt,
        sizeBytes: metadata.sizeBytes,
        incrementalBytes: metadata.incrementalBytes,
        files: filesReferencedBy(metadata),
      });
    }
  }

  /** The job's code bundle; undefined once the job has ended, when it is released from memory. */
  get bundle(): Buffer | undefined {
    return this.jobBundle;
  }

  /** The attempt number of the current executions; every restart and rescale starts a higher one. */
  get attempt(): number {
    return this.attemptNumber;
  }

  /** The executions of the current attempt. */
  get executionGraph(): ExecutionGraph {
    return this.graph;
  }

  /** The vertices as they run now (parallelism may differ from the submitted graph after a rescale). */
  get vertices(): readonly JobVertex[] {
    return this.vertexList;
  }

  /** The job's state. */
  get state(): JobState {
    return this.jobState;
  }

  /** Why the job failed, if it did. */
  get failure(): string {
    return this.failureCause;
  }

  /** The latest failure (a restart's cause, or the final one). */
  get lastFailure(): FailureInfo | undefined {
    return this.lastFailureInfo;
  }

  /** Restarts so far. */
  get restarts(): number {
    return this.restartCount;
  }

  /** When the job ended, or 0. */
  get endTime(): number {
    return this.finishedAt;
  }

  /** Allocates slots and deploys every execution, restored from the job's restore point if any. */
  async start(): Promise<void> {
    if (this.settings.restore) {
      const problems = restoreProblems(this.settings.restore, this.vertexList);
      if (problems.length > 0) {
        this.failureCause = `cannot restore from ${this.settings.restore.metadataFile}: ${problems.join('; ')}`;
        this.finalize('FAILED');
        return;
      }
    }
    await this.deploy(this.settings.restore);
  }

  /** Allocates slots for the current execution graph and deploys it. */
  private async deploy(restore: RestoreSource | undefined): Promise<void> {
    const graph = this.graph;
    const attempt = this.attemptNumber;
    let slots;
    try {
      slots = await this.services.slotPool.allocate(this.jobId, graph.requiredSlots, this.services.slotRequestTimeoutMs);
    } catch (error) {
      if (attempt !== this.attemptNumber || isTerminalJobState(this.jobState) || this.jobState === 'CANCELLING') return;
      this.onDeployFailure(errorMessage(error));
      return;
    }
    if (attempt !== this.attemptNumber || (this.jobState !== 'CREATED' && this.jobState !== 'RESTARTING')) {
      this.services.slotPool.release(this.jobId);
      return;
    }
    graph.assignSlots(slots);
    this.failureCause = '';
    this.transition('RUNNING');
    for (const e of graph.executions) e.state = 'DEPLOYING';
    this.checkpoints.start();
    const checkpointing = this.checkpoints.enabled;
    await Promise.all(
      graph.executions.map(async (e) => {
        try {
          await e.slot!.taskManager.gateway.deployTask({
            ...graph.deploymentOf(e),
            checkpointing,
            checkpointRoot: this.settings.checkpoint.jobRoot,
            savepointRoots: [...this.settings.checkpoint.savepointRoots],
            restore: restore ? assignTaskRestore(restore, e.vertex, e.subtask) : null,
          });
        } catch (error) {
          const reason = `deploying ${this.describe(e)} to ${e.slot?.taskManager.address} failed: ${errorMessage(error)}`;
          if (hasGrpcCode(error, status.UNAVAILABLE) && e.slot) this.services.onTaskManagerUnreachable?.(e.slot.taskManager.id, reason);
          this.onExecutionState(e.id, 'FAILED', reason);
        }
      }),
    );
  }

  /** No slots (or no restore): the first start fails the job, a restart asks the strategy again. */
  private onDeployFailure(reason: string): void {
    if (this.jobState === 'CREATED') {
      this.failureCause = reason;
      this.finalize('FAILED');
      return;
    }
    this.decideRestart(reason);
  }

  /** Applies a state reported by a TaskManager. Reports of unknown or old attempts are ignored. */
  onExecutionState(executionId: string, state: ExecutionState, failure = ''): void {
    const e = this.graph.get(executionId);
    if (!e || isTerminalExecutionState(e.state)) return;
    if (e.state === 'CANCELING' && state === 'FAILED') state = 'CANCELED';
    if (e.state === 'CANCELING' && state !== 'CANCELED' && state !== 'FINISHED') return;
    e.state = state;
    if (failure) e.failure = failure;
    if (state === 'FAILED') this.fail(`${this.describe(e)} failed: ${failure || 'unknown cause'}`);
    else if (state === 'FINISHING') this.checkpoints.onTaskFinishing(e.id);
    else if (state === 'RUNNING' && this.graph.executions.every((x) => x.state === 'RUNNING')) this.settings.restartStrategy.onRunning?.(Date.now());
    this.checkCompletion();
  }

  /** The TaskManager an execution of the current attempt is placed on, if it is one. */
  hostOf(executionId: string): string | undefined {
    return this.graph.get(executionId)?.slot?.taskManager.id;
  }

  /** Whether the current attempt has a task on TaskManager `taskManagerId`. */
  runsOn(taskManagerId: string): boolean {
    return this.graph.executions.some((e) => e.slot?.taskManager.id === taskManagerId);
  }

  /** Updates the counters of an execution from a heartbeat. */
  onExecutionMetrics(executionId: string, recordsIn: number, recordsOut: number): void {
    const e = this.graph.get(executionId);
    if (!e || isTerminalExecutionState(e.state)) return;
    e.recordsIn = recordsIn;
    e.recordsOut = recordsOut;
  }

  /** Fails the executions that ran on a lost TaskManager, and with them the current attempt. */
  onTaskManagerLost(tm: RegisteredTaskManager, reason: string): void {
    const affected = this.graph.executions.filter((e) => e.slot?.taskManager.id === tm.id && !isTerminalExecutionState(e.state));
    if (affected.length === 0) return;
    for (const e of affected) {
      e.state = 'FAILED';
      e.failure = reason;
    }
    this.fail(reason);
    this.checkCompletion();
  }

  /**
   * Cancels the job; throws FAILED_PRECONDITION for a job that has ended. A cancelling job goes
   * on; a failing job is already cancelling its executions and stays on its way to FAILED.
   */
  cancel(): void {
    if (isTerminalJobState(this.jobState)) throw failedPrecondition(`job ${this.jobId} is already ${this.jobState}`);
    if (this.jobState === 'CANCELLING' || this.jobState === 'FAILING') return;
    this.checkpoints.stop('the job is cancelled');
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.jobState === 'CREATED' || this.jobState === 'RESTARTING') {
      this.services.slotPool.cancelRequest(this.jobId, new Error('job cancelled'));
      this.transition('CANCELLING');
      this.cancelExecutions();
      return;
    }
    this.transition('CANCELLING');
    this.cancelExecutions();
  }

  /** Takes a savepoint into `directory`; resolves with its `_metadata` file. */
  async savepoint(directory: string | undefined): Promise<CompletedCheckpoint> {
    if (this.jobState !== 'RUNNING') throw new Error(`job ${this.jobId} is ${this.jobState}, not RUNNING`);
    if (!this.checkpoints.enabled) throw new Error(`job ${this.jobId} takes no checkpoints; submit it with a checkpoint interval to take savepoints`);
    return this.checkpoints.trigger({ savepointDir: directory ?? this.settings.checkpoint.defaultSavepointDir });
  }

  /** Takes a savepoint, then stops the job: it ends FINISHED with its output committed up to the savepoint. */
  async stopWithSavepoint(directory: string | undefined): Promise<CompletedCheckpoint> {
    const savepoint = await this.savepoint(directory);
    if (this.jobState === 'RUNNING') {
      this.stopping = true;
      this.checkpoints.stop('the job is stopping');
      this.transition('CANCELLING');
      this.cancelExecutions();
    }
    return savepoint;
  }

  /** Takes a savepoint and restarts every vertex at `parallelism` from it. */
  async rescale(parallelism: number): Promise<CompletedCheckpoint> {
    const tooLarge = this.vertexList.find((v) => parallelism > v.maxParallelism);
    if (tooLarge) throw new Error(`parallelism ${parallelism} exceeds the max parallelism ${tooLarge.maxParallelism} of ${tooLarge.name}`);
    const savepoint = await this.savepoint(undefined);
    if (this.jobState !== 'RUNNING') throw new Error(`job ${this.jobId} is ${this.jobState}; the rescale is abandoned`);
    const { metadata, root, metadataFile } = await readMetadata(savepoint.metadataFile);
    this.rescaleTo = { parallelism, restore: { metadata, root, metadataFile } };
    this.checkpoints.stop('the job is rescaling');
    this.transition('RESTARTING');
    this.cancelExecutions();
    return savepoint;
  }

  /** A checkpoint failure budget ran out (called by the coordinator). */
  failJob(reason: string): void {
    this.fail(reason);
  }

  /** Executions as the checkpoint coordinator sees them. */
  tasks(): readonly CheckpointTask[] {
    return this.graph.executions.map((e) => ({
      executionId: e.id,
      isSource: e.vertex.isSource,
      state: e.state,
      gateway: e.slot?.taskManager.gateway,
      subtask: e.subtask,
      operatorIds: e.vertex.operators.map((op) => op.id),
    }));
  }

  /** Operators as the checkpoint metadata records them. */
  operators(): readonly CheckpointOperator[] {
    return this.vertexList.flatMap((v) => v.operators.map((op) => ({ operatorId: op.id, parallelism: v.parallelism, maxParallelism: v.maxParallelism })));
  }

  /** A checkpoint completed. */
  onCompleted(checkpoint: CompletedCheckpoint): Promise<void> | void {
    return this.services.onCheckpointCompleted?.(this, checkpoint);
  }

  private fail(reason: string): void {
    if (this.jobState !== 'RUNNING') return;
    this.failureCause = reason;
    this.lastFailureInfo = { cause: reason, time: Date.now() };
    this.services.log.warn({ job: this.jobId, reason }, 'job failing');
    this.checkpoints.stop(`the job is failing: ${reason}`);
    this.transition('FAILING');
    this.cancelExecutions();
  }

  private cancelExecutions(): void {
    for (const e of this.graph.executions) {
      if (isTerminalExecutionState(e.state)) continue;
      if (e.state === 'CREATED') {
        e.state = 'CANCELED';
        continue;
      }
      const tm = e.slot?.taskManager;
      e.state = 'CANCELING';
      tm?.gateway.cancelTask(this.jobId, e.id).catch(() => this.onExecutionState(e.id, 'CANCELED'));
    }
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    const graph = this.graph;
    this.cancelTimer = setTimeout(() => {
      for (const e of graph.executions) {
        if (!isTerminalExecutionState(e.state)) this.onExecutionState(e.id, 'CANCELED', 'did not confirm cancellation in time');
      }
    }, this.services.cancelTimeoutMs);
    this.checkCompletion();
  }

  private checkCompletion(): void {
    const all = this.graph.executions;
    if (!all.every((e) => isTerminalExecutionState(e.state))) return;
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.cancelTimer = undefined;
    if (this.jobState === 'RUNNING' && all.every((e) => e.state === 'FINISHED')) this.finalize('FINISHED');
    else if (this.jobState === 'FAILING') this.decideRestart(this.lastFailureInfo?.cause ?? 'unknown cause');
    else if (this.jobState === 'CANCELLING') this.finalize(this.stopping ? 'FINISHED' : 'CANCELED');
    else if (this.jobState === 'RESTARTING' && this.rescaleTo) this.restartRescaled();
  }

  /** Every execution of a failed attempt has ended: restart after the strategy's delay, or fail. */
  private decideRestart(reason: string): void {
    const delay = this.settings.restartStrategy.onFailure(Date.now());
    if (delay === undefined) {
      this.failureCause = this.restartCount > 0 ? `${reason} (no more restarts after ${this.restartCount}: ${this.settings.restartStrategy.describe()})` : reason;
      this.lastFailureInfo = { cause: this.failureCause, time: Date.now() };
      this.finalize('FAILED');
      return;
    }
    if (this.jobState !== 'RESTARTING') this.transition('RESTARTING');
    this.services.slotPool.release(this.jobId);
    this.services.log.info({ job: this.jobId, delayMs: delay, restarts: this.restartCount + 1 }, 'job restarting');
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  /** Starts a new attempt of every execution from the latest completed checkpoint. */
  private async restart(): Promise<void> {
    if (this.jobState !== 'RESTARTING') return;
    this.restartCount++;
    let restore: RestoreSource | undefined = this.settings.restore;
    const latest = this.checkpoints.latest;
    if (latest) {
      try {
        restore = await readMetadata(latest.metadataFile);
      } catch (error) {
        this.decideRestart(`reading checkpoint ${latest.checkpointId} failed: ${errorMessage(error)}`);
        return;
      }
    }
    if (this.jobState !== 'RESTARTING') return;
    this.attemptNumber++;
    this.graph = new ExecutionGraph(this.jobId, this.jobGraph, this.vertexList, this.attemptNumber);
    await this.deploy(restore);
  }

  private restartRescaled(): void {
    const target = this.rescaleTo!;
    this.rescaleTo = undefined;
    this.services.slotPool.release(this.jobId);
    this.vertexList = this.vertexList.map((v) => ({ ...v, parallelism: target.parallelism }));
    this.attemptNumber++;
    this.graph = new ExecutionGraph(this.jobId, this.jobGraph, this.vertexList, this.attemptNumber);
    this.services.log.info({ job: this.jobId, parallelism: target.parallelism, savepoint: target.restore.metadataFile }, 'job rescaling');
    void this.deploy(target.restore);
  }

  private finalize(state: 'FINISHED' | 'FAILED' | 'CANCELED'): void {
    this.checkpoints.stop(`the job is ${state}`);
    this.transition(state);
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.finishedAt = Date.now();
    this.jobBundle = undefined;
    const taskManagers = new Set(this.graph.executions.map((e) => e.slot?.taskManager).filter((tm) => tm !== undefined));
    for (const tm of taskManagers) tm.gateway.releaseJob(this.jobId).catch(() => undefined);
    this.services.slotPool.release(this.jobId);
    this.services.onTerminal(this);
  }

  private transition(to: JobState): void {
    if (!canTransitionJob(this.jobState, to)) throw new Error(`job ${this.jobId}: illegal transition ${this.jobState} -> ${to}`);
    this.services.log.info({ job: this.jobId, from: this.jobState, to }, 'job state');
    this.jobState = to;
  }

  private describe(e: Execution): string {
    return `${e.vertex.name} (${e.subtask + 1}/${e.vertex.parallelism})`;
  }
}
