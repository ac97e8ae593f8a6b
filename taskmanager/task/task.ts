/**
 * A task: one subtask of one vertex, run as a mailbox actor. One input loop serves every task:
 * it takes a batch from the task's input (a source, source-input.ts, or the input gate,
 * gate-input.ts), which pushes the records synchronously through the operator chain and hands
 * watermarks, idleness and aligned barriers to the task's one event path (chain-input-events.ts);
 * then the chain flushes (sinks, state writes). Between batches the task runs mail (timers,
 * async results, checkpoint triggers and notifications) and stops taking input while its outputs
 * are full.
 *
 * Checkpoints: a source task checkpoints when the JobManager triggers it (between two batches); a
 * task with inputs when the barriers of all its channels are aligned. When the job takes
 * checkpoints, a task that has processed all of its input waits in FINISHING until the job's
 * final checkpoint completes, so that its sinks commit everything before it is FINISHED.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import { QueryableStates, type QueryAnswer } from '../state/queryable-states.ts';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { errorMessage } from '../../common/errors.ts';
import type { ExecutionState } from '../../common/job-state.ts';
import type { Logger } from '../../common/logging.ts';
import type { CheckpointBarrier, TaskDeployment } from '../../common/rpc/index.ts';
import type { ResultPartition } from '../network/result-partition.ts';
import type { CheckpointResponder } from '../checkpoint/subtask-checkpointer.ts';
import { SubtaskCheckpointer } from '../checkpoint/subtask-checkpointer.ts';
import type { StateSizeStats } from '../state/keyed-state-backend.ts';
import { ChainInputEvents } from './chain-input-events.ts';
import { Mailbox } from './mailbox.ts';
import type { OperatorChain } from './operator-chain.ts';
import { ProcessingTimeService } from './processing-time-service.ts';
import type { InputEvents, TaskInput } from './task-input.ts';
import { TaskMetrics } from './task-metrics.ts';
import { endedReason, isUpstreamCancellation } from './upstream-cancellation.ts';

/** How long the loop runs before it yields to I/O. */
const TIME_SLICE_MS = 5;

/** The pieces a task runs, built by the task executor from the job plan (build-task-parts.ts). */
export interface TaskParts {
  readonly chain: OperatorChain;
  /** The source at the head of the chain, or the input gate of its network channels. */
  readonly input: TaskInput;
  readonly partitions: readonly ResultPartition[];
  /** Called once the partitions may receive records. */
  registerPartitions(): void;
  /** Called when the task is gone, to drop its partitions from the registry. */
  unregisterPartitions(): void;
}

/** Reports state changes of a task. */
export type TaskStateListener = (task: Task, state: ExecutionState, failure?: string) => void;

/** One running subtask. */
export class Task {
  readonly metrics = new TaskMetrics();
  private readonly mailbox = new Mailbox();
  /** Wall-clock callbacks of the task's operators, delivered as mail. */
  readonly processingTime = new ProcessingTimeService((mail) => this.mailbox.put(mail));
  /** The states its operators declared queryable. */
  readonly queryable = new QueryableStates();
  private state: ExecutionState = 'DEPLOYING';
  private cancelled = false;
  private parts: TaskParts | undefined;
  private checkpointer: SubtaskCheckpointer | undefined;
  private events: InputEvents | undefined;
  /** Checkpoints triggered directly (sources, finishing tasks), waiting for the task loop. */
  private readonly triggers: CheckpointBarrier[] = [];
  private readonly notifications: { checkpointId: number; completed: boolean }[] = [];

  constructor(
    readonly deployment: TaskDeployment,
    readonly name: string,
    private readonly build: (task: Task) => Promise<TaskParts>,
    private readonly onState: TaskStateListener,
    private readonly log: Logger,
    private readonly responder: CheckpointResponder,
  ) {}

  /** Encoded bytes this task sent to remote consumers. */
  get bytesOut(): number {
    let bytes = 0;
    for (const p of this.parts?.partitions ?? []) bytes += p.bytesOut;
    return bytes;
  }

  /** Keyed state size over the task's operators. */
  stateSize(): StateSizeStats {
    let cachedEntries = 0;
    let cachedBytes = 0;
    let storedEntries = 0;
    for (const b of this.parts?.chain.stateBackends ?? []) {
      const s = b.stats();
      cachedEntries += s.cachedEntries;
      cachedBytes += s.cachedBytes;
      storedEntries += s.storedEntries;
    }
    return { cachedEntries, cachedBytes, storedEntries };
  }

  /** Asks the task to stop; it ends CANCELED. */
  cancel(): void {
    this.mailbox.put(() => {
      this.cancelled = true;
    });
  }

  /** Takes a checkpoint at the next batch boundary (a source's trigger, or a finishing task's). */
  triggerCheckpoint(barrier: CheckpointBarrier): void {
    this.mailbox.put(() => {
      this.triggers.push(barrier);
    });
  }

  /** A checkpoint of the job completed or was aborted. */
  notifyCheckpoint(checkpointId: number, completed: boolean): void {
    this.mailbox.put(() => {
      this.notifications.push({ checkpointId, completed });
    });
  }

  /** Reads a queryable state under a key, in the task's thread of control, between batches. */
  queryState(name: string, key: KeyValue): Promise<QueryAnswer> {
    return new Promise((resolve, reject) => {
      this.mailbox.put(() => {
        try {
          resolve(this.queryable.query(name, key));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }

  /** Runs an action in the task's thread of control, between batches. */
  enqueue(mail: () => void): void {
    this.mailbox.put(mail);
  }

  /** Runs the task to its end. Never throws: failures become the FAILED state. */
  async run(): Promise<void> {
    try {
      this.transition('INITIALIZING');
      const parts = await this.build(this);
      this.parts = parts;
      parts.registerPartitions();
      await parts.chain.open();
      const checkpointer = new SubtaskCheckpointer(parts.chain.operators, parts.partitions, this.deployment.subtask, this.deployment.checkpointRoot, this.deployment.savepointRoots, this.responder, this.log);
      this.checkpointer = checkpointer;
      this.events = new ChainInputEvents(parts.chain, parts.partitions, checkpointer, this.metrics);
      parts.input.start(this.events);
      this.transition('RUNNING');
      await this.processInput(parts);
      if (this.cancelled) return this.end('CANCELED');
      await parts.chain.finish();
      this.metrics.sinkRecordsOut = parts.chain.sinkRecordsWritten;
      for (const p of parts.partitions) p.finish();
      checkpointer.markOutputsFinished();
      await this.untilCancelled(Promise.all(parts.partitions.map((p) => p.whenConsumed())));
      if (this.deployment.checkpointing && !this.cancelled) {
        this.transition('FINISHING');
        while (!this.cancelled && !checkpointer.finalCheckpointCommitted) {
          await this.mailbox.whenMail();
          await this.processMail();
        }
      }
      this.end(this.cancelled ? 'CANCELED' : 'FINISHED');
    } catch (error) {
      if (this.cancelled) this.end('CANCELED');
      else if (isUpstreamCancellation(errorMessage(error))) {
        this.log.info({ reason: errorMessage(error) }, 'task stopped: an upstream task was canceled');
        this.end('FAILED', errorMessage(error));
      } else {
        this.log.error({ err: error }, 'task failed');
        this.end('FAILED', errorMessage(error));
      }
    } finally {
      this.processingTime.close();
      const parts = this.parts;
      parts?.input.close();
      for (const p of parts?.partitions ?? []) p.dispose(endedReason(this.name, this.state));
      parts?.unregisterPartitions();
      await parts?.chain.close(this.log);
    }
  }

  /**
   * The input loop, one for every kind of input: between batches it runs mail and waits for
   * output capacity; each batch goes through the chain, then the chain flushes. It returns at the
   * end of input or when the task is cancelled.
   */
  private async processInput(parts: TaskParts): Promise<void> {
    const { input, chain } = parts;
    let sliceStart = performance.now();
    while (!this.cancelled) {
      if (this.mailbox.hasMail) await this.processMail();
      if (this.cancelled) return;
      if (!(await this.awaitOutputCapacity(parts))) continue;
      const status = await input.emitNext();
      await this.flushChain(chain);
      if (status === 'END_OF_INPUT') return;
      if (status === 'NOTHING_AVAILABLE') {
        const waiting = new AbortController();
        await Promise.race([input.whenAvailable(waiting.signal), this.mailbox.whenMail()]);
        waiting.abort();
        sliceStart = performance.now();
      } else if (performance.now() - sliceStart > TIME_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  /**
   * Waits while any output partition is full or an operator is blocked; returns false if mail
   * arrived meanwhile.
   */
  private async awaitOutputCapacity(parts: TaskParts): Promise<boolean> {
    const blocked = parts.chain.blocked;
    if (blocked) {
      await Promise.race([blocked.whenUnblocked!(), this.mailbox.whenMail()]);
      return !this.mailbox.hasMail && parts.chain.blocked === undefined;
    }
    const full = parts.partitions.find((p) => !p.available);
    if (!full) return true;
    const start = performance.now();
    await Promise.race([full.whenAvailable(), this.mailbox.whenMail()]);
    this.metrics.backPressuredMs += performance.now() - start;
    return !this.mailbox.hasMail && parts.partitions.every((p) => p.available);
  }

  /** Runs waiting mail (timers, control actions), flushes what it emitted, then handles checkpoint mail. */
  private async processMail(): Promise<void> {
    this.mailbox.drain();
    const parts = this.parts!;
    await this.flushChain(parts.chain);
    while (this.triggers.length > 0) await this.events!.barrier(this.triggers.shift()!);
    while (this.notifications.length > 0) {
      const { checkpointId, completed } = this.notifications.shift()!;
      await this.checkpointer!.notify(checkpointId, completed);
    }
  }

  private async flushChain(chain: OperatorChain): Promise<void> {
    const flushed = chain.flush();
    if (!flushed) return;
    await flushed;
    this.metrics.sinkRecordsOut = chain.sinkRecordsWritten;
  }

  private async untilCancelled(work: Promise<unknown>): Promise<void> {
    while (!this.cancelled) {
      const done = await Promise.race([work.then(() => true), this.mailbox.whenMail().then(() => false)]);
      if (done) return;
      await this.processMail();
    }
  }

  private transition(state: ExecutionState, failure?: string): void {
    this.state = state;
    this.onState(this, state, failure);
  }

  private end(state: 'FINISHED' | 'CANCELED' | 'FAILED', failure?: string): void {
    if (this.state === 'FINISHED' || this.state === 'CANCELED' || this.state === 'FAILED') return;
    this.transition(state, failure);
  }
}
