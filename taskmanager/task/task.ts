/**
 * A task: one subtask of one vertex, run as a mailbox actor. Its main loop takes input (a source
 * reader or the input gate), pushes each batch synchronously through the operator chain, awaits
 * sinks at batch boundaries, and stops taking input while its outputs are full.
 *
 * Checkpoints: a source task checkpoints when the JobManager triggers it (between two polls); a
 * task with inputs when the barriers of all its channels are aligned. When the job takes
 * checkpoints, a task that has processed all of its input waits in FINISHING until the job's
 * final checkpoint completes, so that its sinks commit everything before it is FINISHED.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { delay } from '../../common/async.ts';
import { errorMessage } from '../../common/errors.ts';
import type { ExecutionState } from '../../common/job-state.ts';
import type { Logger } from '../../common/logging.ts';
import type { CheckpointBarrier, TaskDeployment } from '../../common/rpc/index.ts';
import { NO_TIMESTAMP } from '../../common/time.ts';
import { IDLE, type ChannelMessage } from '../network/channel-message.ts';
import type { InputChannel } from '../network/input-channel.ts';
import type { InputGate } from '../network/input-gate.ts';
import type { ResultPartition } from '../network/result-partition.ts';
import type { SinkOperator } from '../operators/sink-operator.ts';
import type { SourceOperator } from '../operators/source-operator.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import type { CheckpointedOperator, CheckpointResponder } from '../checkpoint/subtask-checkpointer.ts';
import { SubtaskCheckpointer } from '../checkpoint/subtask-checkpointer.ts';
import type { KeyedStateBackend, StateSizeStats } from '../state/keyed-state-backend.ts';
import { BarrierAligner } from '../checkpoint/barrier-aligner.ts';
import { Mailbox } from './mailbox.ts';
import { ProcessingTimeService } from './processing-time-service.ts';
import { TaskMetrics } from './task-metrics.ts';
import { endedReason, isUpstreamCancellation } from './upstream-cancellation.ts';
import { ACTIVE, WatermarkValve, type Announcement } from './watermark-valve.ts';

/** How long the loop runs before it yields to I/O. */
const TIME_SLICE_MS = 5;
/** Records a source emits per poll. */
const SOURCE_POLL_RECORDS = 1024;

/** The pieces a task runs, built by the task executor from the job plan. */
export interface TaskParts {
  /** Operators in topological order, head first. */
  readonly operators: readonly StreamOperator[];
  readonly source: SourceOperator | undefined;
  readonly sinks: readonly SinkOperator[];
  /** The keyed state backends of the chain's operators, for the state size gauges. */
  readonly stateBackends: readonly KeyedStateBackend[];
  /** Every operator with its id and keyed backend, for checkpoints. */
  readonly checkpointed: readonly CheckpointedOperator[];
  /** How often a source with idleness checks for idle splits while it has nothing to read. */
  readonly idleCheckMs: number | undefined;
  readonly gate: InputGate | undefined;
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
  private flushables: StreamOperator[] = [];
  private blockables: StreamOperator[] = [];
  private idleAnnounced = false;
  private state: ExecutionState = 'DEPLOYING';
  private cancelled = false;
  private parts: TaskParts | undefined;
  private checkpointer: SubtaskCheckpointer | undefined;
  /** Checkpoints triggered directly (sources, finishing tasks), waiting for the task loop. */
  private readonly triggers: CheckpointBarrier[] = [];
  private readonly notifications: { checkpointId: number; completed: boolean }[] = [];
  /** Final checkpoints this task took; the task ends once one of them completes. */
  private readonly finalCheckpoints = new Set<number>();
  private finalCommitted = false;
  /** End-of-input went out on every output: barriers can no longer follow. */
  private outputsFinished = false;

  constructor(
    readonly deployment: TaskDeployment,
    readonly name: string,
    private readonly build: (task: Task) => Promise<TaskParts>,
    private readonly onState: TaskStateListener,
    private readonly log: Logger,
    private readonly responder: CheckpointResponder,
  ) {}

  /** The current state. */
  get executionState(): ExecutionState {
    return this.state;
  }

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
    for (const b of this.parts?.stateBackends ?? []) {
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

  /** Runs the task to its end. Never throws: failures become the FAILED state. */
  async run(): Promise<void> {
    let opened: StreamOperator[] = [];
    try {
      this.transition('INITIALIZING');
      const parts = await this.build(this);
      this.parts = parts;
      parts.registerPartitions();
      for (const op of [...parts.operators].reverse()) {
        await op.open();
        opened.push(op);
      }
      this.checkpointer = new SubtaskCheckpointer(parts.checkpointed, parts.partitions, this.deployment.subtask, this.deployment.checkpointRoot, this.responder, this.log);
      this.flushables = parts.operators.filter((op) => op.flush !== undefined);
      this.blockables = parts.operators.filter((op) => op.whenUnblocked !== undefined);
      parts.gate?.start();
      this.transition('RUNNING');
      if (parts.source) this.announceStatus(parts, parts.source.idle);
      if (parts.source) await this.runSource(parts, parts.source);
      else if (parts.gate) await this.runInput(parts, parts.gate);
      if (this.cancelled) return this.end('CANCELED');
      if (parts.source) parts.source.endOfInput();
      for (const op of parts.operators) await op.finish();
      this.countSinks(parts);
      for (const p of parts.partitions) p.finish();
      this.outputsFinished = true;
      await this.untilCancelled(Promise.all(parts.partitions.map((p) => p.whenConsumed())));
      if (this.deployment.checkpointing && !this.cancelled) {
        this.transition('FINISHING');
        while (!this.cancelled && !this.finalCommitted) {
          await this.mailbox.whenMail();
          await this.processMail(parts);
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
      parts?.gate?.close();
      for (const p of parts?.partitions ?? []) p.dispose(endedReason(this.name, this.state));
      parts?.unregisterPartitions();
      for (const op of opened) {
        await op.close().catch((error: unknown) => this.log.warn({ err: error }, 'closing an operator failed'));
      }
      opened = [];
    }
  }

  private async runSource(parts: TaskParts, source: SourceOperator): Promise<void> {
    let sliceStart = performance.now();
    while (!this.cancelled) {
      if (this.mailbox.hasMail) await this.processMail(parts);
      if (this.cancelled) return;
      if (!(await this.awaitOutputCapacity(parts))) continue;
      const before = source.read;
      const status = source.poll(SOURCE_POLL_RECORDS);
      this.metrics.recordsIn += source.read - before;
      this.metrics.malformed = source.malformedCount;
      this.metrics.inputWatermark = source.currentWatermark;
      this.announceIdle(parts, source.idle);
      if (this.flushables.length > 0) await this.flushOperators(parts);
      if (status === 'end') return;
      if (status === 'nothing') {
        await this.waitForSource(source, parts.idleCheckMs);
        sliceStart = performance.now();
      } else if (performance.now() - sliceStart > TIME_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  private async runInput(parts: TaskParts, gate: InputGate): Promise<void> {
    const head = parts.operators[0]!;
    const valve = new WatermarkValve(gate.channels.length);
    const aligner = new BarrierAligner(gate, (abandoned) => this.checkpointer!.decline(abandoned, 'a newer checkpoint barrier overtook it'));
    let sliceStart = performance.now();
    while (!this.cancelled) {
      if (this.mailbox.hasMail) await this.processMail(parts);
      if (this.cancelled) return;
      if (gate.failed !== undefined) throw new Error(gate.failed);
      if (!(await this.awaitOutputCapacity(parts))) continue;
      const taken = gate.poll();
      if (!taken) {
        if (gate.finished) return;
        await Promise.race([gate.whenAvailable(), this.mailbox.whenMail()]);
        sliceStart = performance.now();
        continue;
      }
      const { message, channel } = taken;
      const announcement = valve.settled ? undefined : valve.announce(channel.index);
      if (message.type === 'event') {
        this.onEvent(parts, head, valve, channel.index, message);
        let aligned: CheckpointBarrier | undefined;
        if (message.kind === 'BARRIER') {
          aligned = aligner.onBarrier(channel, message.barrier);
        } else if (message.kind === 'END_OF_INPUT') aligned = aligner.onEndOfInput();
        if (announcement) this.onAnnouncement(parts, gate, valve, channel, announcement);
        if (aligned) await this.takeCheckpoint(parts, aligned);
        continue;
      }
      valve.onData(channel.index);
      const records = message.type === 'records' ? message.records : channel.decodeBatch(message);
      if (message.type === 'encoded') this.metrics.bytesIn += message.bytes.length;
      const input = channel.inputIndex;
      const timestamps = message.timestamps;
      let count = records.length;
      if (timestamps === undefined) {
        for (let i = 0; i < records.length; i++) head.processElement(records[i], NO_TIMESTAMP, input);
      } else {
        for (let i = 0; i < records.length; i++) {
          const t = timestamps[i]!;
          if (t === t) head.processElement(records[i], t, input);
          else {
            count--;
            this.advance(head, valve.onWatermark(channel.index, records[i] as number));
          }
        }
      }
      this.metrics.recordsIn += count;
      this.announceIdle(parts, valve.allIdle);
      if (announcement) this.onAnnouncement(parts, gate, valve, channel, announcement);
      if (this.flushables.length > 0) await this.flushOperators(parts);
      if (performance.now() - sliceStart > TIME_SLICE_MS) {
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
    const blocked = this.blockables.find((op) => op.blocked);
    if (blocked) {
      await Promise.race([blocked.whenUnblocked!(), this.mailbox.whenMail()]);
      return !this.mailbox.hasMail && !this.blockables.some((op) => op.blocked);
    }
    const full = parts.partitions.find((p) => !p.available);
    if (!full) return true;
    const start = performance.now();
    await Promise.race([full.whenAvailable(), this.mailbox.whenMail()]);
    this.metrics.backPressuredMs += performance.now() - start;
    return !this.mailbox.hasMail && parts.partitions.every((p) => p.available);
  }

  /** Runs an action in the task's thread of control, between batches. */
  enqueue(mail: () => void): void {
    this.mailbox.put(mail);
  }

  private onEvent(parts: TaskParts, head: StreamOperator, valve: WatermarkValve, channel: number, event: ChannelMessage & { type: 'event' }): void {
    switch (event.kind) {
      case 'END_OF_INPUT':
        this.advance(head, valve.onEnd(channel));
        break;
      case 'IDLE':
        this.advance(head, valve.onIdle(channel));
        this.announceIdle(parts, valve.allIdle);
        break;
      case 'WATERMARK':
        this.advance(head, valve.onWatermark(channel, event.timestamp));
        break;
      case 'BARRIER':
        break;
    }
  }

  /** Hands an advanced input watermark to the head operator. */
  private advance(head: StreamOperator, watermark: number | undefined): void {
    if (watermark === undefined) return;
    this.metrics.inputWatermark = watermark;
    head.processWatermark(watermark);
  }

  /**
   * A channel's first message arrived: until every channel has announced itself the channel waits,
   * and once they all have, this task announces its own status and takes records from all.
   */
  private onAnnouncement(parts: TaskParts, gate: InputGate, valve: WatermarkValve, channel: InputChannel, announcement: Announcement): void {
    if (announcement === 'wait') return gate.block(channel);
    this.announceStatus(parts, valve.allIdle);
    gate.unblockAll();
  }

  /** Opens every output channel with this task's status, before any record (see watermark-valve.ts). */
  private announceStatus(parts: TaskParts, idle: boolean): void {
    if (idle) this.announceIdle(parts, true);
    else for (const p of parts.partitions) p.broadcastEvent(ACTIVE);
  }

  /** Tells consumers once that this task is idle; any later record or watermark makes it active again. */
  private announceIdle(parts: TaskParts, idle: boolean): void {
    if (idle && !this.idleAnnounced) {
      // Consumers stop waiting for an idle input's watermark: nothing may stay held back.
      for (const op of parts.operators) op.emitHeldRecords?.();
      for (const p of parts.partitions) p.broadcastEvent(IDLE);
    }
    this.idleAnnounced = idle;
  }

  private async waitForSource(source: SourceOperator, idleCheckMs: number | undefined): Promise<void> {
    if (idleCheckMs === undefined) {
      await Promise.race([source.available(), this.mailbox.whenMail()]);
      return;
    }
    const timeout = new AbortController();
    await Promise.race([source.available(), this.mailbox.whenMail(), delay(idleCheckMs, timeout.signal).catch(() => {})]);
    timeout.abort();
  }

  /** Runs waiting mail (timers, control actions), flushes what it emitted, then handles checkpoint mail. */
  private async processMail(parts: TaskParts): Promise<void> {
    this.mailbox.drain();
    if (this.flushables.length > 0) await this.flushOperators(parts);
    while (this.triggers.length > 0) await this.takeCheckpoint(parts, this.triggers.shift()!);
    while (this.notifications.length > 0) {
      const { checkpointId, completed } = this.notifications.shift()!;
      await this.checkpointer!.notify(checkpointId, completed);
      if (completed && [...this.finalCheckpoints].some((id) => id <= checkpointId)) this.finalCommitted = true;
    }
  }

  /** Takes a checkpoint at the current position of the input: every earlier record is processed. */
  private async takeCheckpoint(parts: TaskParts, barrier: CheckpointBarrier): Promise<void> {
    if (this.flushables.length > 0) await this.flushOperators(parts);
    await this.checkpointer!.checkpoint(barrier, !this.outputsFinished);
    if (barrier.final) this.finalCheckpoints.add(barrier.checkpointId);
  }

  private async flushOperators(parts: TaskParts): Promise<void> {
    for (const op of this.flushables) {
      const pending = op.flush!();
      if (pending) await pending;
    }
    this.countSinks(parts);
  }

  private countSinks(parts: TaskParts): void {
    let written = 0;
    for (const s of parts.sinks) written += s.written;
    this.metrics.sinkRecordsOut = written;
  }

  private async untilCancelled(work: Promise<unknown>): Promise<void> {
    while (!this.cancelled) {
      const done = await Promise.race([work.then(() => true), this.mailbox.whenMail().then(() => false)]);
      if (done) return;
      await this.processMail(this.parts!);
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
