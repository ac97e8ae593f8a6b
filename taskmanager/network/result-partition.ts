/**
 * The producer side of one job edge for one producing subtask: one subpartition per consuming
 * subtask. Records are collected into batches; a batch is sealed when it reaches the target size or
 * when the flush timer fires, and sent only against credit granted by the consumer. Each
 * subpartition queues a bounded number of batches; beyond that the partition reports itself
 * unavailable and the producing task stops taking input (backpressure).
 *
 * Watermarks travel inside batches: the partition holds the producer's latest watermark, and each
 * subpartition writes it into its open batch (as a `WATERMARK_SLOT` entry) before its next record
 * and when it seals. So a consumer sees every watermark in order with the records it follows,
 * while batches keep their size and a fan-out does not multiply watermark traffic.
 */
import { status } from '@grpc/grpc-js';
import { deferred, type Deferred } from '../../common/async.ts';
import { SluiceError } from '../../common/errors.ts';
import { MIN_WATERMARK, NO_TIMESTAMP, WATERMARK_SLOT } from '../../common/time.ts';
import { END_OF_INPUT, type ChannelMessage, type SubpartitionReader } from './channel-message.ts';

/** Settings of a result partition. */
export interface ResultPartitionConfig {
  /** Records per batch before the batch size is learnt from encoded sizes. */
  initialBatchRecords: number;
  /** Target encoded size of a batch in bytes. */
  targetBatchBytes: number;
  /** Batches a subpartition may queue before the partition is unavailable. */
  maxQueuedBatches: number;
  /** Flush timeout in ms for partially filled batches. */
  bufferTimeoutMs: number;
}

/** One consumer's share of a result partition. */
export class Subpartition {
  private pending: unknown[] = [];
  private pendingTimestamps: number[] = [];
  private pendingHasTimestamps = false;
  private sentWatermark = MIN_WATERMARK;
  private readonly queue: ChannelMessage[] = [];
  private credit = 0;
  private reader: SubpartitionReader | undefined;
  private attached = false;
  private endSent = false;
  private released = false;

  constructor(
    readonly index: number,
    private readonly partition: ResultPartition,
  ) {}

  /** Adds one record, with its timestamp (NO_TIMESTAMP for none), to the open batch. */
  add(record: unknown, timestamp: number): void {
    if (this.partition.watermark > this.sentWatermark) this.addWatermarkSlot();
    const pending = this.pending;
    pending.push(record);
    this.pendingTimestamps.push(timestamp);
    if (timestamp !== NO_TIMESTAMP) this.pendingHasTimestamps = true;
    if (pending.length >= this.partition.batchRecords) this.seal();
    else if (pending.length === 1) this.partition.armFlush();
  }

  /** Seals the open batch, with the latest watermark, and sends what credit allows. */
  flush(): void {
    if (this.partition.watermark > this.sentWatermark) this.addWatermarkSlot();
    if (this.pending.length > 0) this.seal();
  }

  /** Seals the open batch and appends an event. */
  addEvent(event: ChannelMessage): void {
    this.flush();
    this.queue.push(event);
    this.trySend();
  }

  /** Seals the open batch and appends end-of-input. */
  finish(): void {
    this.addEvent(END_OF_INPUT);
  }

  /** Whether the queue has room. */
  get available(): boolean {
    return this.queue.length < this.partition.config.maxQueuedBatches;
  }

  /** Whether end-of-input has been handed to the consumer. */
  get done(): boolean {
    return this.endSent || this.released;
  }

  /** The TaskManager the JobManager deployed this subpartition's consumer to, when known. */
  get consumerTaskManager(): string | undefined {
    return this.partition.consumers[this.index];
  }

  /**
   * Connects the consumer. A subpartition has one reader, once: a second subscriber (while the
   * first reads, or after it went away) is refused ALREADY_EXISTS.
   */
  attach(reader: SubpartitionReader): void {
    if (this.attached) throw new SluiceError(`subpartition ${this.index} of result partition ${this.partition.key} already has a reader`, status.ALREADY_EXISTS);
    this.attached = true;
    this.reader = reader;
    this.trySend();
  }

  /** The consumer grants credit for `n` more messages. */
  addCredit(n: number): void {
    this.credit += n;
    this.trySend();
  }

  /** The consumer went away; nothing more is sent. */
  release(): void {
    this.released = true;
    this.reader = undefined;
    this.queue.length = 0;
    this.partition.onProgress();
  }

  /** Tells an attached consumer that the producer failed; a consumer that has end-of-input keeps its stream. */
  fail(reason: string): void {
    if (!this.endSent) this.reader?.fail(reason);
    this.reader = undefined;
  }

  private addWatermarkSlot(): void {
    const watermark = this.partition.watermark;
    this.sentWatermark = watermark;
    this.pending.push(watermark);
    this.pendingTimestamps.push(WATERMARK_SLOT);
    this.pendingHasTimestamps = true;
    if (this.pending.length === 1) this.partition.armFlush();
  }

  private seal(): void {
    this.queue.push({ type: 'records', records: this.pending, timestamps: this.pendingHasTimestamps ? this.pendingTimestamps : undefined });
    this.pending = [];
    this.pendingTimestamps = [];
    this.pendingHasTimestamps = false;
    this.trySend();
  }

  private trySend(): void {
    const reader = this.reader;
    if (!reader) return;
    let sent = false;
    while (this.credit > 0 && this.queue.length > 0) {
      const message = this.queue.shift()!;
      this.credit--;
      reader.send(message);
      sent = true;
      if (message === END_OF_INPUT) this.endSent = true;
    }
    if (sent) this.partition.onProgress();
  }
}

/** All subpartitions of one (producing execution, job edge). */
export class ResultPartition {
  readonly subpartitions: Subpartition[];
  /** Current records-per-batch target, adapted from encoded sizes. */
  batchRecords: number;
  /** Encoded bytes sent to remote consumers, for metrics. */
  bytesOut = 0;
  /** The producer's latest watermark; subpartitions pass it on in order with their records. */
  watermark = MIN_WATERMARK;
  private flushTimer: NodeJS.Timeout | undefined;
  private waiter: Deferred<void> | undefined;

  constructor(
    readonly key: string,
    count: number,
    readonly config: ResultPartitionConfig,
    /** Per subpartition, the id of the TaskManager its consumer was deployed to (empty when the deployment does not say). */
    readonly consumers: readonly string[] = [],
  ) {
    this.subpartitions = Array.from({ length: count }, (_, i) => new Subpartition(i, this));
    this.batchRecords = config.initialBatchRecords;
  }

  /** Learns the batch size from an encoded batch, so batches approach the target byte size. */
  observeEncoded(records: number, bytes: number): void {
    if (records === 0 || bytes === 0) return;
    const perRecord = bytes / records;
    const target = Math.round(this.config.targetBatchBytes / perRecord);
    this.batchRecords = Math.max(8, Math.min(16_384, Math.round((this.batchRecords + target) / 2)));
  }

  /** Starts the flush timer if it is not running. */
  armFlush(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushAll();
    }, this.config.bufferTimeoutMs);
  }

  /** Records a new watermark; it goes out before each subpartition's next record, or on the next flush. */
  emitWatermark(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    this.armFlush();
  }

  /** Seals every open batch and appends an event to every subpartition. */
  broadcastEvent(event: ChannelMessage): void {
    for (const s of this.subpartitions) s.addEvent(event);
  }

  /** Seals every open batch. */
  flushAll(): void {
    for (const s of this.subpartitions) s.flush();
  }

  /** Whether every subpartition has room. */
  get available(): boolean {
    for (const s of this.subpartitions) if (!s.available) return false;
    return true;
  }

  /** Resolves when every subpartition has room again. */
  whenAvailable(): Promise<void> {
    if (this.available) return Promise.resolve();
    this.waiter ??= deferred<void>();
    return this.waiter.promise;
  }

  /** Appends end-of-input to every subpartition. */
  finish(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const s of this.subpartitions) s.finish();
  }

  /** Resolves once every consumer has received end-of-input (or gone away). */
  async whenConsumed(): Promise<void> {
    while (!this.subpartitions.every((s) => s.done)) {
      this.waiter ??= deferred<void>();
      await this.waiter.promise;
    }
  }

  /** Called when batches leave a queue: wakes a waiting producer. */
  onProgress(): void {
    const waiter = this.waiter;
    if (waiter && (this.available || this.subpartitions.every((s) => s.done))) {
      this.waiter = undefined;
      waiter.resolve();
    }
  }

  /** Stops the partition: fails attached consumers and stops timers. */
  dispose(reason: string): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const s of this.subpartitions) s.fail(reason);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }
}
