/**
 * Runs one job: asks the slot pool for slots, deploys every execution, follows their states, and
 * drives the job through its lifecycle (see common/job-state.ts). A failed task or a lost
 * TaskManager fails the job; recovery from checkpoints comes with restart strategies.
 */
import { errorMessage } from '../../common/errors.ts';
import { canTransitionJob, isTerminalExecutionState, isTerminalJobState, type ExecutionState, type JobState } from '../../common/job-state.ts';
import type { Logger } from '../../common/logging.ts';
import type { JobGraph, JobVertex } from '../../common/rpc/index.ts';
import type { RegisteredTaskManager } from '../resourcemanager/taskmanager-registry.ts';
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
}

/** The master of one job. */
export class JobMaster {
  private jobState: JobState = 'CREATED';
  private failureCause = '';
  readonly startTime = Date.now();
  private finishedAt = 0;
  readonly executionGraph: ExecutionGraph;
  private cancelTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly jobId: string,
    readonly jobGraph: JobGraph,
    vertices: readonly JobVertex[],
    readonly bundle: Buffer,
    private readonly services: JobMasterServices,
  ) {
    this.executionGraph = new ExecutionGraph(jobId, jobGraph, vertices, 0);
  }

  /** The job's state. */
  get state(): JobState {
    return this.jobState;
  }

  /** Why the job failed, if it did. */
  get failure(): string {
    return this.failureCause;
  }

  /** When the job ended, or 0. */
  get endTime(): number {
    return this.finishedAt;
  }

  /** Allocates slots and deploys every execution. */
  async start(): Promise<void> {
    const graph = this.executionGraph;
    let slots;
    try {
      slots = await this.services.slotPool.allocate(this.jobId, graph.requiredSlots, this.services.slotRequestTimeoutMs);
    } catch (error) {
      if (this.jobState !== 'CREATED') return;
      this.failureCause = errorMessage(error);
      this.finalize('FAILED');
      return;
    }
    if (this.jobState !== 'CREATED') {
      this.services.slotPool.release(this.jobId);
      return;
    }
    graph.assignSlots(slots);
    this.transition('RUNNING');
    for (const e of graph.executions) e.state = 'DEPLOYING';
    await Promise.all(
      graph.executions.map(async (e) => {
        try {
          await e.slot!.taskManager.gateway.deployTask(graph.deploymentOf(e));
        } catch (error) {
          this.onExecutionState(e.id, 'FAILED', `deploying ${this.describe(e)} to ${e.slot?.taskManager.address} failed: ${errorMessage(error)}`);
        }
      }),
    );
  }

  /** Applies a state reported by a TaskManager. Reports of unknown or old attempts are ignored. */
  onExecutionState(executionId: string, state: ExecutionState, failure = ''): void {
    const e = this.executionGraph.get(executionId);
    if (!e || isTerminalExecutionState(e.state)) return;
    if (e.state === 'CANCELING' && state === 'FAILED') state = 'CANCELED';
    e.state = state;
    if (failure) e.failure = failure;
    if (state === 'FAILED') {
      this.fail(`${this.describe(e)} failed: ${failure || 'unknown cause'}`);
    }
    this.checkCompletion();
  }

  /** Updates the counters of an execution from a heartbeat. */
  onExecutionMetrics(executionId: string, recordsIn: number, recordsOut: number): void {
    const e = this.executionGraph.get(executionId);
    if (!e || isTerminalExecutionState(e.state)) return;
    e.recordsIn = recordsIn;
    e.recordsOut = recordsOut;
  }

  /** Fails the executions that ran on a lost TaskManager, and with them the job. */
  onTaskManagerLost(tm: RegisteredTaskManager, reason: string): void {
    const affected = this.executionGraph.executions.filter((e) => e.slot?.taskManager.id === tm.id && !isTerminalExecutionState(e.state));
    if (affected.length === 0) return;
    for (const e of affected) {
      e.state = 'FAILED';
      e.failure = reason;
    }
    this.fail(reason);
  }

  /** Cancels the job. A failing job is already cancelling its executions and stays on its way to FAILED. */
  cancel(): void {
    if (isTerminalJobState(this.jobState) || this.jobState === 'CANCELLING' || this.jobState === 'FAILING') return;
    if (this.jobState === 'CREATED') {
      this.services.slotPool.cancelRequest(this.jobId, new Error('job cancelled'));
      this.jobState = 'CANCELLING';
      this.finalize('CANCELED');
      return;
    }
    this.transition('CANCELLING');
    this.cancelExecutions();
  }

  private fail(reason: string): void {
    if (isTerminalJobState(this.jobState) || this.jobState === 'FAILING' || this.jobState === 'CANCELLING') return;
    this.failureCause = reason;
    this.services.log.warn({ job: this.jobId, reason }, 'job failing');
    if (this.jobState === 'CREATED') {
      this.finalize('FAILED');
      return;
    }
    this.transition('FAILING');
    this.cancelExecutions();
  }

  private cancelExecutions(): void {
    for (const e of this.executionGraph.executions) {
      if (isTerminalExecutionState(e.state)) continue;
      const tm = e.slot?.taskManager;
      e.state = 'CANCELING';
      tm?.gateway.cancelTask(this.jobId, e.id).catch(() => this.onExecutionState(e.id, 'CANCELED'));
    }
    this.cancelTimer = setTimeout(() => {
      for (const e of this.executionGraph.executions) {
        if (!isTerminalExecutionState(e.state)) this.onExecutionState(e.id, 'CANCELED', 'did not confirm cancellation in time');
      }
    }, this.services.cancelTimeoutMs);
    this.checkCompletion();
  }

  private checkCompletion(): void {
    const all = this.executionGraph.executions;
    if (!all.every((e) => isTerminalExecutionState(e.state))) return;
    if (this.jobState === 'RUNNING' && all.every((e) => e.state === 'FINISHED')) this.finalize('FINISHED');
    else if (this.jobState === 'FAILING') this.finalize('FAILED');
    else if (this.jobState === 'CANCELLING') this.finalize('CANCELED');
  }

  private finalize(state: 'FINISHED' | 'FAILED' | 'CANCELED'): void {
    this.transition(state);
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.finishedAt = Date.now();
    const taskManagers = new Set(this.executionGraph.executions.map((e) => e.slot?.taskManager).filter((tm) => tm !== undefined));
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
