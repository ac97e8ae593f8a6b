/**
 * The reader of one Kafka source subtask: fetches its partitions in the background and emits
 * their records synchronously in `pollNext`.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PollStatus, SourceOutput, SourceReader, SourceReaderContext } from '../../common/connector/source.ts';
import { bySplitId } from '../../common/connector/source.ts';
import { errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logging.ts';
import { RateLimiter } from '../datagen/rate-limiter.ts';
import { clusterOf, EARLIEST_TIMESTAMP, type FetchedMessage, type KafkaCluster, kafkaClient } from './kafka-cluster.ts';
import { isRetriable, kafkaError } from './kafka-errors.ts';
import { fetchPartitions, type FetchedBatch } from './kafka-fetch.ts';
import { offsetsAt, partitionsOf } from './kafka-offsets.ts';
import { kafkaMarkerSplit, kafkaSplitId, type KafkaSplit } from './kafka-split.ts';
import type { KafkaUri } from './kafka-uri.ts';

/** Tuning of a Kafka reader. */
export interface KafkaReaderOptions {
  /** How often an unbounded reader looks for new partitions; default 10 s. */
  readonly discoveryIntervalMs?: number;
  /** Fetched batches a partition may hold before its fetching pauses; default 4. */
  readonly maxQueuedBatches?: number;
  /** Records per second this reader may emit (`?rate=`), or undefined for no limit. */
  readonly maxRecordsPerSecond?: number;
  /** Checks each decoded record; a returned message sends it to `malformed`. */
  readonly validate?: (record: Record<string, unknown>) => string | undefined;
  /** The bound of the malformed output per checkpoint interval (`SourceReader.maxMalformedBytes`). */
  readonly maxMalformedBytes?: number;
}

interface PartitionState {
  readonly id: string;
  readonly partition: number;
  readonly end: number | undefined;
  /** The offset of the next record `pollNext` may emit. */
  next: number;
  /** The offset the next fetch asks for. */
  fetchAt: number;
  readonly batches: FetchedBatch[];
  /** Position inside `batches[0].messages`. */
  head: number;
}

const log = createLogger('kafka-source');
const MAX_RETRIES = 5;
const KEPT_SNAPSHOTS = 16;

/**
 * Reads the partitions (splits) of one subtask, each from its checkpointed offset. A partition's
 * batches are fetched ahead (up to `maxQueuedBatches`), read committed; `pollNext` serves the
 * partitions in turn. A retriable client error is retried with backoff a few times, then fails the
 * reader with an error naming the service; so does any other error. A value that is not a JSON
 * object, or that `validate` refuses, goes to `malformed`; `maxRecordsPerSecond` paces it. Unbounded, the reader adds partitions `q` at or above the count it
 * knows with `q mod parallelism = subtask`, from their earliest offset; its snapshot carries a
 * marker split with that count, so that a restored reader without partitions knows it too. On checkpoint completion,
 * with `?group=`, it commits the checkpoint's offsets to that group, for monitoring only.
 */
export class KafkaSourceReader implements SourceReader<Record<string, unknown>> {
  private readonly active: PartitionState[] = [];
  private readonly ending: KafkaSplit[] = [];
  private readonly finished: KafkaSplit[] = [];
  /** Ids of restored marker splits, whose end the next poll reports so they hold no watermark back. */
  private readonly markers: string[] = [];
  private readonly snapshots = new Map<number, KafkaSplit[]>();
  private knownPartitions = 0;
  private cursor = 0;
  private cluster: KafkaCluster | undefined;
  private failure: Error | undefined;
  private closed = false;
  private loop: Promise<void> | undefined;
  private discovery: NodeJS.Timeout | undefined;
  /** Whether a discovery round is running; a round never overlaps another. */
  private discovering = false;
  private wakeReader: (() => void) | undefined;
  private wakeFetcher: (() => void) | undefined;
  private readonly maxQueued: number;
  private readonly limiter: RateLimiter | undefined;
  private pacing: NodeJS.Timeout | undefined;
  /** The bound of this subtask's malformed output per checkpoint interval, when the job sets one. */
  readonly maxMalformedBytes: number | undefined;
  /** The offset commits to `?group=` in flight, chained. */
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private readonly uri: KafkaUri,
    private readonly context: SourceReaderContext,
    private readonly options: KafkaReaderOptions = {},
  ) {
    this.maxQueued = options.maxQueuedBatches ?? 4;
    this.maxMalformedBytes = options.maxMalformedBytes;
    const rate = options.maxRecordsPerSecond;
    this.limiter = rate === undefined ? undefined : new RateLimiter(rate);
  }

  addSplits(splits: readonly KafkaSplit[]): void {
    for (const split of splits) {
      if (split.knownPartitions > this.knownPartitions) this.knownPartitions = split.knownPartitions;
      if (split.marker === true) this.markers.push(split.id);
      else if (split.end !== undefined && split.offset >= split.end) this.ending.push(split);
      else this.active.push({ id: split.id, partition: split.partition, end: split.end, next: split.offset, fetchAt: split.offset, batches: [], head: 0 });
    }
    this.notifyFetcher();
    this.notifyReader();
  }

  async open(): Promise<void> {
    const cluster = clusterOf(kafkaClient(this.uri.brokers, `sluice-${this.context.operatorId}-${this.context.subtaskIndex}`));
    this.cluster = cluster;
    try {
      await cluster.connect();
      const partitions = await partitionsOf(cluster, this.uri.topic);
      if (this.knownPartitions === 0) this.knownPartitions = partitions.length;
    } catch (error) {
      throw kafkaError('cannot connect', this.uri, error);
    }
    this.loop = this.fetchLoop(cluster);
    if (!this.uri.bounded) {
      this.discovery = setInterval(() => void this.discover(cluster), this.options.discoveryIntervalMs ?? 10_000);
      this.discovery.unref();
    }
  }

  pollNext(output: SourceOutput<Record<string, unknown>>, maxRecords: number): PollStatus {
    if (this.failure !== undefined) throw this.failure;
    for (const split of this.ending.splice(0)) {
      this.finished.push(split);
      output.splitEnded(split.id);
    }
    for (const id of this.markers.splice(0)) output.splitEnded(id);
    const active = this.active;
    const limiter = this.limiter;
    const budget = limiter === undefined || active.length === 0 ? maxRecords : limiter.budget(maxRecords, performance.now());
    if (budget <= 0) return 'nothing';
    let emitted = 0;
    let idle = 0;
    while (emitted < budget && active.length > 0) {
      if (this.cursor >= active.length) this.cursor = 0;
      const state = active[this.cursor] as PartitionState;
      const batch = state.batches[0];
      if (batch === undefined) {
        this.cursor++;
        if (++idle >= active.length) break;
        continue;
      }
      idle = 0;
      output.setSplit(state.id);
      emitted += this.emitFrom(state, batch, output, budget - emitted);
      if (state.end !== undefined && state.next >= state.end) {
        active.splice(this.cursor, 1);
        this.finished.push(splitOf(state, this.uri.topic, this.knownPartitions));
        output.splitEnded(state.id);
      } else this.cursor++;
    }
    limiter?.consume(emitted);
    if (active.length === 0 && this.uri.bounded) return 'end';
    return emitted >= maxRecords ? 'more' : 'nothing';
  }

  /** Emits up to `budget` records of the partition's first batch; drops the batch once read. */
  private emitFrom(state: PartitionState, batch: FetchedBatch, output: SourceOutput<Record<string, unknown>>, budget: number): number {
    const messages = batch.messages;
    const end = state.end ?? Number.POSITIVE_INFINITY;
    let emitted = 0;
    while (emitted < budget && state.head < messages.length) {
      const message = messages[state.head++] as FetchedMessage;
      const offset = Number(message.offset);
      if (offset < state.next) continue;
      if (offset >= end) {
        state.next = end;
        break;
      }
      state.next = offset + 1;
      decode(message, output, this.options.validate);
      emitted++;
    }
    if (state.head >= messages.length || state.next >= end) {
      if (batch.next > state.next) state.next = Math.min(batch.next, end);
      state.batches.shift();
      state.head = 0;
      this.notifyFetcher();
    }
    return emitted;
  }

  snapshotState(checkpointId?: number): KafkaSplit[] {
    const splits = [...this.finished, ...this.ending].map((split) => ({ ...split, knownPartitions: Math.max(split.knownPartitions, this.knownPartitions) }));
    for (const state of this.active) splits.push(splitOf(state, this.uri.topic, this.knownPartitions));
    if (!this.uri.bounded) splits.push(kafkaMarkerSplit(this.uri.topic, this.context.subtaskIndex, this.knownPartitions));
    splits.sort(bySplitId);
    if (checkpointId !== undefined && this.uri.group !== undefined) {
      this.snapshots.set(checkpointId, splits);
      for (const id of this.snapshots.keys()) if (this.snapshots.size > KEPT_SNAPSHOTS) this.snapshots.delete(id);
    }
    return splits;
  }

  /**
   * Commits the offsets of checkpoint `checkpointId` to `?group=` in the background, one commit
   * after the other, so that a slow broker never holds up the task; a failure only skips this report.
   */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const splits = this.snapshots.get(checkpointId);
    for (const id of this.snapshots.keys()) if (id <= checkpointId) this.snapshots.delete(id);
    const group = this.uri.group;
    const cluster = this.cluster;
    if (splits === undefined || group === undefined || cluster === undefined || splits.length === 0) return;
    this.committing = this.committing.then(() => this.commitOffsets(cluster, group, checkpointId, splits));
  }

  private async commitOffsets(cluster: KafkaCluster, group: string, checkpointId: number, splits: readonly KafkaSplit[]): Promise<void> {
    if (this.closed) return;
    try {
      const coordinator = await cluster.findGroupCoordinator({ groupId: group });
      await coordinator.offsetCommit({
        groupId: group,
        groupGenerationId: -1,
        memberId: '',
        topics: [{ topic: this.uri.topic, partitions: splits.map((split) => ({ partition: split.partition, offset: String(split.offset) })) }],
      });
    } catch (error) {
      if (this.closed) return;
      log.warn({ group, topic: this.uri.topic, checkpointId, error: errorMessage(error) }, 'kafka: cannot commit offsets to the consumer group; the next checkpoint reports them again');
    }
  }

  available(): Promise<void> {
    if (this.closed || this.failure !== undefined || this.ending.length > 0 || this.markers.length > 0) return Promise.resolve();
    if (this.uri.bounded && this.active.length === 0) return Promise.resolve();
    const limiter = this.limiter;
    if (limiter !== undefined && limiter.allowance(performance.now()) <= 0) {
      return new Promise((resolve) => {
        this.pacing = setTimeout(resolve, limiter.delayMs(performance.now()));
      });
    }
    if (this.active.some((state) => state.batches.length > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeReader = resolve;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.discovery);
    clearTimeout(this.pacing);
    this.notifyFetcher();
    this.notifyReader();
    await this.committing;
    await this.cluster?.disconnect().catch(() => undefined);
    await this.loop;
  }

  /** Fetches for every partition with room for a batch until closed or failed. */
  private async fetchLoop(cluster: KafkaCluster): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      const wanted = new Map<number, number>();
      for (const state of this.active) {
        if (state.batches.length < this.maxQueued && (state.end === undefined || state.fetchAt < state.end)) wanted.set(state.partition, state.fetchAt);
      }
      if (wanted.size === 0) {
        await new Promise<void>((resolve) => {
          this.wakeFetcher = resolve;
        });
        continue;
      }
      try {
        const batches = await fetchPartitions(cluster, this.uri.topic, wanted);
        failures = 0;
        if (this.closed) return;
        for (const state of this.active) {
          const batch = batches.get(state.partition);
          if (batch === undefined || wanted.get(state.partition) !== state.fetchAt) continue;
          state.batches.push(batch);
          state.fetchAt = batch.next;
        }
        if (batches.size > 0) this.notifyReader();
      } catch (error) {
        if (this.closed) return;
        if (isRetriable(error) && ++failures <= MAX_RETRIES) {
          await sleep(Math.min(2_000, 100 * 2 ** failures));
          await cluster.refreshMetadata().catch(() => undefined);
          continue;
        }
        this.failure = kafkaError(`reading partitions ${[...wanted.keys()].join(',')} failed`, this.uri, error);
        this.notifyReader();
        return;
      }
    }
  }

  /** Adds the partitions the topic gained that this subtask owns, from their earliest offset. */
  private async discover(cluster: KafkaCluster): Promise<void> {
    if (this.closed || this.failure !== undefined || this.discovering) return;
    this.discovering = true;
    try {
      await cluster.refreshMetadata();
      const partitions = cluster.findTopicPartitionMetadata(this.uri.topic).map((p) => p.partitionId);
      const known = this.knownPartitions;
      if (partitions.length <= known) return;
      const { subtaskIndex, parallelism } = this.context;
      const added = partitions.filter((q) => q >= known && q % parallelism === subtaskIndex).sort((a, b) => a - b);
      const offsets = added.length === 0 ? new Map<number, number>() : await offsetsAt(cluster, this.uri.topic, added, EARLIEST_TIMESTAMP);
      if (this.closed) return;
      this.knownPartitions = partitions.length;
      this.addSplits(added.map((partition) => ({ id: kafkaSplitId(this.uri.topic, partition), topic: this.uri.topic, partition, offset: offsets.get(partition) ?? 0, knownPartitions: partitions.length })));
    } catch (error) {
      log.warn({ topic: this.uri.topic, error: errorMessage(error) }, 'kafka: partition discovery failed; it runs again at its next interval');
    } finally {
      this.discovering = false;
    }
  }

  private notifyReader(): void {
    const wake = this.wakeReader;
    this.wakeReader = undefined;
    wake?.();
  }

  private notifyFetcher(): void {
    const wake = this.wakeFetcher;
    this.wakeFetcher = undefined;
    wake?.();
  }
}

/** The split of a partition as it stands. */
function splitOf(state: PartitionState, topic: string, knownPartitions: number): KafkaSplit {
  const split: KafkaSplit = { id: state.id, topic, partition: state.partition, offset: state.next, knownPartitions };
  return state.end === undefined ? split : { ...split, end: state.end };
}

/** Emits a message's value as a JSON object that `validate` accepts, or reports it as malformed. */
function decode(message: FetchedMessage, output: SourceOutput<Record<string, unknown>>, validate: KafkaReaderOptions['validate']): void {
  const value = message.value;
  if (value === null) {
    output.malformed('', `offset ${message.offset}: the message has no value`);
    return;
  }
  const text = value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    output.malformed(text, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    output.malformed(text, `expected a JSON object, got ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}`);
    return;
  }
  const problem = validate?.(parsed as Record<string, unknown>);
  if (problem === undefined) output.collect(parsed as Record<string, unknown>);
  else output.malformed(text, problem);
}
