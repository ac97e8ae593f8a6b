/**
 * The checkpoint coordinator of one job (asynchronous barrier snapshots). It triggers the
 * sources, which record their positions and emit barriers; tasks align the barriers, snapshot and
 * acknowledge with handles to the state they wrote. Once every task has acknowledged, the
 * coordinator writes `_metadata` atomically, keeps the checkpoint (the last `retained` ones) and
 * tells every task, so that two-phase-commit sinks commit.
 *
 * Tasks that have finished their input get the trigger directly, since no barrier can reach them
 * any more. When every task has finished its input the coordinator takes a final checkpoint; the
 * tasks end once it completes, so a bounded job commits all of its output before it is FINISHED.
 *
 * One periodic checkpoint is in flight at a time; savepoints may run beside it.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointMetadata, OperatorCheckpointState, OperatorSubtaskState } from '../../common/checkpoint/checkpoint-types.ts';
import type { OperatorSubtaskState__Output } from '../../proto/generated/sluice/checkpoint/OperatorSubtaskState.ts';
import { checkpointDirName, filesReferencedBy, metadataPath, writeMetadata } from '../../common/checkpoint/checkpoint-storage.ts';
import { errorMessage } from '../../common/errors.ts';
import type { ExecutionState } from '../../common/job-state.ts';
import type { Logger } from '../../common/logging.ts';
import type { TaskManagerGateway } from '../gateway/taskmanager-gateway.ts';
import { checkAcknowledgement, type AcknowledgedOperator } from './acknowledgement-check.ts';
import type { CheckpointConfig } from './checkpoint-config.ts';
import { CompletedCheckpointStore } from './completed-checkpoint-store.ts';
import { PendingCheckpoint, type CompletedCheckpoint } from './pending-checkpoint.ts';

/** One task of the job's current execution, as the coordinator sees it. */
export interface CheckpointTask {
  readonly executionId: string;
  readonly isSource: boolean;
  readonly state: ExecutionState;
  readonly gateway: TaskManagerGateway | undefined;
  /** Its subtask index. */
  readonly subtask: number;
  /** The operators of its chain. */
  readonly operatorIds: readonly string[];
}

/** One operator of the job, for the metadata and the check of acknowledgements. */
export type CheckpointOperator = AcknowledgedOperator;

/** What the coordinator needs from its job master. */
export interface CheckpointJob {
  readonly jobId: string;
  /**
   * The attempt whose executions `tasks()` returns. A checkpoint belongs to the attempt that took
   * it: only that attempt's tasks may acknowledge it, and only they hear that it completed.
   */
  readonly attempt: number;
  /** The executions of the current attempt. */
  tasks(): readonly CheckpointTask[];
  operators(): readonly CheckpointOperator[];
  /** Too many checkpoints failed in a row. */
  failJob(reason: string): void;
  /**
   * A checkpoint or savepoint completed that is now the newest; called after `_metadata` is
   * durable and before any task hears of it, so that a pointer kept here never lags behind what
   * sinks committed.
   */
  onCompleted(checkpoint: CompletedCheckpoint): Promise<void> | void;
}

/** Counters for status and metrics. */
export interface CheckpointCounts {
  readonly completed: number;
  readonly failed: number;
  readonly inProgress: number;
}

/** What a trigger asks for. */
export interface TriggerRequest {
  /** A savepoint into this directory (a new sub-directory is made for it). */
  readonly savepointDir?: string;
  readonly final?: boolean;
}

/** See the module comment. */
export class CheckpointCoordinator {
  private readonly pending = new Map<number, PendingCheckpoint>();
  readonly store: CompletedCheckpointStore;
  private lastId: number;
  private sinceFull = Number.POSITIVE_INFINITY;
  private consecutiveFailures = 0;
  private completedCount = 0;
  private failedCount = 0;
  private periodicTimer: NodeJS.Timeout | undefined;
  private running = false;
  private latestCompleted: CompletedCheckpoint | undefined;
  private finalCompleted = false;

  constructor(
    private readonly job: CheckpointJob,
    readonly config: CheckpointConfig,
    private readonly log: Logger,
    /** The highest checkpoint id used before (after a JobManager restart), so ids keep growing. */
    startAfterId = 0,
    private readonly now: () => number = Date.now,
  ) {
    this.lastId = startAfterId;
    this.store = new CompletedCheckpointStore(config.jobRoot, config.retained, log);
  }

  /** Whether the job takes checkpoints. */
  get enabled(): boolean {
    return this.config.intervalMs > 0;
  }

  /** The latest completed checkpoint or savepoint of this job, if any. */
  get latest(): CompletedCheckpoint | undefined {
    return this.latestCompleted;
  }

  /** Counters for status and metrics. */
  get counts(): CheckpointCounts {
    return { completed: this.completedCount, failed: this.failedCount, inProgress: this.pending.size };
  }

  /** The highest checkpoint id handed out so far. */
  get lastCheckpointId(): number {
    return this.lastId;
  }

  /** Remembers a checkpoint restored from, so that ids continue after it and it counts as the latest. */
  restoredFrom(checkpoint: CompletedCheckpoint): void {
    this.lastId = Math.max(this.lastId, checkpoint.checkpointId);
    this.latestCompleted ??= checkpoint;
    if (!checkpoint.isSavepoint) this.store.adopt(checkpoint);
  }

  /** Starts periodic checkpoints (after a deployment); a no-op when checkpoints are off. */
  start(): void {
    if (!this.enabled) return;
    this.running = true;
    this.finalCompleted = false;
    this.schedule(this.config.intervalMs);
  }

  /** Stops triggering and aborts every pending checkpoint (the job is failing or ending). */
  stop(reason: string): void {
    this.running = false;
    if (this.periodicTimer) clearTimeout(this.periodicTimer);
    this.periodicTimer = undefined;
    for (const p of [...this.pending.values()]) this.abort(p, reason, false);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.periodicTimer) clearTimeout(this.periodicTimer);
    this.periodicTimer = setTimeout(() => {
      this.periodicTimer = undefined;
      void this.trigger({}).catch((error: unknown) => {
        this.log.debug({ job: this.job.jobId, reason: errorMessage(error) }, 'periodic checkpoint not taken');
        this.schedule(this.config.intervalMs);
      });
    }, delayMs);
    this.periodicTimer.unref?.();
  }

  /** Triggers a checkpoint or savepoint; resolves when it completes, rejects when it fails. */
  trigger(request: TriggerRequest): Promise<CompletedCheckpoint> {
    const isSavepoint = request.savepointDir !== undefined;
    if (!isSavepoint && !this.enabled) return Promise.reject(new Error('the job takes no checkpoints'));
    if (!isSavepoint && [...this.pending.values()].some((p) => !p.isSavepoint)) {
      return Promise.reject(new Error('another checkpoint is in progress'));
    }
    const tasks = this.job.tasks();
    const notReady = tasks.find((t) => t.state !== 'RUNNING' && t.state !== 'FINISHING');
    if (notReady) return Promise.reject(new Error(`task ${notReady.executionId} is ${notReady.state}, not running`));
    const checkpointId = ++this.lastId;
    const final = request.final === true || tasks.every((t) => t.state === 'FINISHING');
    const full = isSavepoint || this.sinceFull + 1 >= this.config.fullEvery;
    const root = isSavepoint ? join(request.savepointDir!, `savepoint-${this.job.jobId.slice(0, 8)}-${checkpointId}-${randomBytes(3).toString('hex')}`) : this.config.jobRoot;
    const directory = isSavepoint ? root : join(root, checkpointDirName(checkpointId));
    const pending = new PendingCheckpoint(checkpointId, this.job.attempt, this.now(), isSavepoint, final && !isSavepoint, full, root, directory, tasks.map((t) => t.executionId));
    this.pending.set(checkpointId, pending);
    pending.timer = setTimeout(() => this.abort(pending, `timed out after ${this.config.timeoutMs} ms`, true), this.config.timeoutMs);
    pending.timer.unref?.();
    this.log.debug({ job: this.job.jobId, checkpoint: checkpointId, savepoint: isSavepoint, full, final: pending.final }, 'checkpoint triggered');
    for (const task of tasks) {
      if ((task.isSource && task.state === 'RUNNING') || task.state === 'FINISHING') this.sendTrigger(pending, task);
    }
    return pending.result.promise;
  }

  private sendTrigger(pending: PendingCheckpoint, task: CheckpointTask): void {
    if (pending.triggered.has(task.executionId)) return;
    pending.triggered.add(task.executionId);
    const gateway = task.gateway;
    if (!gateway) {
      this.abort(pending, `task ${task.executionId} has no TaskManager`, true);
      return;
    }
    gateway
      .triggerCheckpoint({
        jobId: this.job.jobId,
        executionId: task.executionId,
        barrier: {
          checkpointId: pending.checkpointId,
          timestamp: pending.triggeredAt,
          savepointRoot: pending.isSavepoint ? pending.root : '',
          full: pending.full,
          final: pending.final,
        },
      })
      .catch((error: unknown) => this.abort(pending, `triggering ${task.executionId} failed: ${errorMessage(error)}`, true));
  }

  /**
   * A task finished its input (FINISHING): barriers can no longer reach it, so pending checkpoints
   * still waiting for it trigger it directly. Once every task has finished, the final checkpoint
   * is taken.
   */
  onTaskFinishing(executionId: string): void {
    const task = this.job.tasks().find((t) => t.executionId === executionId);
    if (!task) return;
    for (const p of this.pending.values()) if (p.notYetAcked.has(executionId)) this.sendTrigger(p, task);
    this.maybeTriggerFinal();
  }

  private maybeTriggerFinal(): void {
    if (!this.running || this.finalCompleted) return;
    if (!this.job.tasks().every((t) => t.state === 'FINISHING')) return;
    if ([...this.pending.values()].some((p) => !p.isSavepoint)) return;
    if (this.periodicTimer) clearTimeout(this.periodicTimer);
    this.periodicTimer = undefined;
    void this.trigger({ final: true }).catch((error: unknown) => {
      this.log.warn({ job: this.job.jobId, reason: errorMessage(error) }, 'final checkpoint failed; retrying');
      this.schedule(this.config.minPauseMs || 100);
    });
  }

  /**
   * A task acknowledged a checkpoint with the state it wrote, as it arrived. An acknowledgement
   * that fails the check of acknowledgement-check.ts declines the checkpoint, naming the problem.
   * Returns why it is refused when the execution is not of the current attempt (a stale attempt
   * on a TaskManager the job was restarted without), and undefined otherwise; an acknowledgement
   * of a checkpoint no longer pending is ignored.
   */
  acknowledge(executionId: string, checkpointId: number, states: readonly OperatorSubtaskState__Output[], sizeBytes: number, incrementalBytes: number): string | undefined {
    const task = this.job.tasks().find((t) => t.executionId === executionId);
    if (!task) return this.refuseStale(executionId, checkpointId, 'acknowledgement');
    const pending = this.pending.get(checkpointId);
    if (!pending?.notYetAcked.has(executionId)) return undefined;
    const operators = this.job.operators().filter((op) => task.operatorIds.includes(op.operatorId));
    const check = checkAcknowledgement({ states, sizeBytes, incrementalBytes }, { checkpointId, subtask: task.subtask, operators });
    if (!check.ok) {
      this.abort(pending, `the acknowledgement of ${executionId} is invalid: ${check.problem}`, true);
      return undefined;
    }
    if (pending.acknowledge(executionId, check.states, sizeBytes, incrementalBytes)) void this.complete(pending);
    return undefined;
  }

  /**
   * A task could not take a checkpoint. Returns why the decline is refused when the execution is
   * not of the current attempt (it must not abort the current attempt's checkpoints), and
   * undefined otherwise.
   */
  decline(executionId: string, checkpointId: number, reason: string): string | undefined {
    if (!this.job.tasks().some((t) => t.executionId === executionId)) return this.refuseStale(executionId, checkpointId, 'decline');
    const pending = this.pending.get(checkpointId);
    if (pending?.notYetAcked.has(executionId)) this.abort(pending, `declined by ${executionId}: ${reason}`, true);
    return undefined;
  }

  private refuseStale(executionId: string, checkpointId: number, what: string): string {
    const refusal = `execution ${executionId} is not a task of attempt ${this.job.attempt} of job ${this.job.jobId}: its ${what} of checkpoint ${checkpointId} is refused`;
    this.log.warn({ job: this.job.jobId, checkpoint: checkpointId, execution: executionId, attempt: this.job.attempt }, `${what} from a stale attempt refused`);
    return refusal;
  }

  private async complete(pending: PendingCheckpoint): Promise<void> {
    if (pending.timer) clearTimeout(pending.timer);
    const completedAt = this.now();
    const metadata: CheckpointMetadata = {
      jobId: this.job.jobId,
      checkpointId: pending.checkpointId,
      isSavepoint: pending.isSavepoint,
      triggeredAt: pending.triggeredAt,
      completedAt,
      sizeBytes: pending.sizeBytes,
      incrementalBytes: pending.incrementalBytes,
      root: pending.isSavepoint ? '.' : '..',
      operators: this.groupByOperator(pending.states),
    };
    try {
      await writeMetadata(pending.directory, metadata);
    } catch (error) {
      this.abort(pending, `writing ${metadataPath(pending.directory)} failed: ${errorMessage(error)}`, true);
      return;
    }
    if (this.pending.get(pending.checkpointId) !== pending) return;
    this.pending.delete(pending.checkpointId);
    const completed: CompletedCheckpoint = {
      checkpointId: pending.checkpointId,
      isSavepoint: pending.isSavepoint,
      directory: pending.directory,
      metadataFile: metadataPath(pending.directory),
      triggeredAt: pending.triggeredAt,
      completedAt,
      sizeBytes: pending.sizeBytes,
      incrementalBytes: pending.incrementalBytes,
      files: filesReferencedBy(metadata),
    };
    this.consecutiveFailures = 0;
    this.completedCount++;
    // A savepoint may complete before an older periodic checkpoint; sinks commit up to the higher
    // id, so restoring from the older one would replay committed output.
    if (!this.latestCompleted || completed.checkpointId > this.latestCompleted.checkpointId) this.latestCompleted = completed;
    if (pending.final) this.finalCompleted = true;
    if (!pending.isSavepoint) {
      this.sinceFull = pending.full ? 0 : this.sinceFull + 1;
      await this.store.add(completed);
    }
    if (completed === this.latestCompleted) {
      try {
        await this.job.onCompleted(completed);
      } catch (error) {
        this.log.warn({ job: this.job.jobId, checkpoint: completed.checkpointId, err: errorMessage(error) }, 'recording a completed checkpoint failed');
      }
    }
    this.log.info(
      { job: this.job.jobId, checkpoint: completed.checkpointId, savepoint: completed.isSavepoint, durationMs: completedAt - pending.triggeredAt, bytes: completed.sizeBytes, incrementalBytes: completed.incrementalBytes },
      'checkpoint completed',
    );
    this.notify(pending, true);
    pending.result.resolve(completed);
    if (!pending.isSavepoint && this.running && !this.finalCompleted) {
      if (this.job.tasks().every((t) => t.state === 'FINISHING')) this.maybeTriggerFinal();
      else this.schedule(Math.max(this.config.minPauseMs, this.config.intervalMs - (completedAt - pending.triggeredAt)));
    }
  }

  private groupByOperator(states: readonly OperatorSubtaskState[]): OperatorCheckpointState[] {
    return this.job.operators().map((op) => ({
      operatorId: op.operatorId,
      parallelism: op.parallelism,
      maxParallelism: op.maxParallelism,
      subtasks: states.filter((s) => s.operatorId === op.operatorId).sort((a, b) => a.subtask - b.subtask),
    }));
  }

  private abort(pending: PendingCheckpoint, reason: string, countsAsFailure: boolean): void {
    if (this.pending.get(pending.checkpointId) !== pending) return;
    this.pending.delete(pending.checkpointId);
    if (pending.timer) clearTimeout(pending.timer);
    this.failedCount++;
    this.log.warn({ job: this.job.jobId, checkpoint: pending.checkpointId, savepoint: pending.isSavepoint, reason }, 'checkpoint aborted');
    this.notify(pending, false);
    void this.discard(pending);
    pending.result.reject(new Error(`checkpoint ${pending.checkpointId} failed: ${reason}`));
    if (pending.isSavepoint || !countsAsFailure) return;
    this.consecutiveFailures++;
    if (this.consecutiveFailures > this.config.tolerableFailures) {
      this.job.failJob(`${this.consecutiveFailures} checkpoint${this.consecutiveFailures === 1 ? '' : 's'} failed in a row (tolerable: ${this.config.tolerableFailures}); the last: ${reason}`);
      return;
    }
    if (this.running) {
      if (this.job.tasks().every((t) => t.state === 'FINISHING')) this.maybeTriggerFinal();
      else this.schedule(Math.max(this.config.minPauseMs, 1));
    }
  }

  /**
   * Deletes an aborted savepoint's directory, or an aborted checkpoint's. Its shared state files
   * stay: a task may already have built the next delta on them. The store deletes them once a
   * later checkpoint completes without them.
   */
  private async discard(pending: PendingCheckpoint): Promise<void> {
    try {
      await rm(pending.isSavepoint ? pending.root : pending.directory, { recursive: true, force: true });
    } catch (error) {
      this.log.warn({ job: this.job.jobId, checkpoint: pending.checkpointId, err: errorMessage(error) }, 'cleaning up an aborted checkpoint failed');
    }
  }

  /** Tells the TaskManagers of the job's tasks; only the tasks of the attempt that took the checkpoint act on it. */
  private notify(pending: PendingCheckpoint, completed: boolean): void {
    const { checkpointId, attempt } = pending;
    const gateways = new Set(this.job.tasks().map((t) => t.gateway).filter((g) => g !== undefined));
    for (const gateway of gateways) {
      gateway.notifyCheckpoint({ jobId: this.job.jobId, attempt, checkpointId, completed }).catch((error: unknown) => {
        this.log.warn({ job: this.job.jobId, checkpoint: checkpointId, err: errorMessage(error) }, 'checkpoint notification failed');
      });
    }
  }
}
