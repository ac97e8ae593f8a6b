/**
 * The exactly-once writer of one Kafka sink subtask: a transaction per checkpoint on one
 * transactional id.
 */
import type { SinkContext, TwoPhaseCommitSinkWriter } from '../../common/connector/sink.ts';
import { createLogger } from '../../common/logging.ts';
import { clusterOf, kafkaClient, type KafkaCluster } from './kafka-cluster.ts';
import { kafkaError } from './kafka-errors.ts';
import { partitionsOf } from './kafka-offsets.ts';
import { KafkaRecordEncoder, type KafkaKeySelector } from './kafka-record-encoder.ts';
import { endTransaction, initProducerId, KafkaTransactionalProducer, type KafkaTransaction } from './kafka-transactional-producer.ts';
import type { KafkaUri } from './kafka-uri.ts';

/** The transactional id of a sink subtask: stable across attempts and restores, one per subtask. */
export function transactionalIdOf(topic: string, operatorId: string, subtaskIndex: number): string {
  return `sluice-${topic}-${operatorId}-${subtaskIndex}`;
}

const log = createLogger('kafka-sink');

/** The subtask index a transactional id of `transactionalIdOf` ends with. */
function subtaskOf(transactionalId: string): number {
  return Number(/-(\d+)$/.exec(transactionalId)?.[1] ?? -1);
}

/**
 * Sends records into the open transaction in `flush`. `preCommit` at a barrier ends the
 * transaction's data and records it (id, producer id, epoch, checkpoint); records after the barrier
 * are buffered in memory until that checkpoint completes and `commit` ends the transaction with
 * `EndTxn`; the next flush takes a new epoch (`InitProducerId`) and starts the next one, so that a
 * producer id and epoch name one transaction and a recovery that commits a restored transaction
 * again cannot commit a later one instead. When a checkpoint completes without the
 * notification of an earlier one (declined or lost), the open transaction simply carries on into
 * the later checkpoint. `recover` commits the restored transactions with their producer id and
 * epoch, the way Flink's Kafka sink does, then fences the transactional ids this subtask now owns,
 * which aborts what a crashed attempt left open. Without checkpointing, `finish` commits.
 */
export class KafkaTransactionalWriter implements TwoPhaseCommitSinkWriter<unknown, KafkaTransaction> {
  private cluster: KafkaCluster | undefined;
  private producer: KafkaTransactionalProducer | undefined;
  private encoder: KafkaRecordEncoder | undefined;
  private initialized = false;
  /** The pre-committed transaction waiting for its checkpoint to complete. */
  private awaiting: KafkaTransaction | undefined;

  constructor(
    private readonly uri: KafkaUri,
    private readonly context: SinkContext,
    private readonly keyOf: KafkaKeySelector | undefined,
  ) {}

  async open(): Promise<void> {
    const cluster = clusterOf(kafkaClient(this.uri.brokers, `sluice-sink-${this.context.operatorId}-${this.context.subtaskIndex}`));
    this.cluster = cluster;
    try {
      await cluster.connect();
      const partitions = await partitionsOf(cluster, this.uri.topic);
      this.encoder = new KafkaRecordEncoder(partitions.length, this.keyOf);
    } catch (error) {
      throw kafkaError('cannot open the sink', this.uri, error);
    }
    const id = transactionalIdOf(this.uri.topic, this.context.operatorId, this.context.subtaskIndex);
    this.producer = new KafkaTransactionalProducer(cluster, this.uri.topic, id);
  }

  write(record: unknown): void {
    this.encoder!.add(record);
  }

  async flush(): Promise<void> {
    if (this.awaiting === undefined) await this.send();
  }

  async preCommit(checkpointId: number): Promise<KafkaTransaction[]> {
    await this.send();
    await this.initialize();
    const producer = this.producer!;
    if (!producer.open) return [];
    this.awaiting = producer.transactionOf(checkpointId);
    return [this.awaiting];
  }

  /** Ends the awaiting transaction when one of `transactions` is it (or a later checkpoint's), then sends what was buffered. */
  async commit(transactions: readonly KafkaTransaction[]): Promise<void> {
    const awaiting = this.awaiting;
    if (awaiting === undefined) return;
    if (!transactions.some((t) => t.transactionalId === awaiting.transactionalId && t.checkpointId >= awaiting.checkpointId)) return;
    try {
      await this.producer!.commit();
    } catch (error) {
      throw kafkaError(`cannot commit the transaction of checkpoint ${awaiting.checkpointId}`, this.uri, error);
    }
    logCommitted(this.uri, awaiting, false);
    this.awaiting = undefined;
    this.initialized = false;
    await this.send();
  }

  async recover(toCommit: readonly KafkaTransaction[], keep: readonly KafkaTransaction[]): Promise<void> {
    const cluster = this.cluster!;
    try {
      for (const transaction of distinct(toCommit)) {
        await endTransaction(cluster, transaction);
        logCommitted(this.uri, transaction, true);
      }
      const own = this.producer!.transactionalId;
      const { subtaskIndex, parallelism } = this.context;
      const others = new Set(keep.map((t) => t.transactionalId).filter((id) => id !== own && subtaskOf(id) % parallelism === subtaskIndex));
      for (const id of others) await initProducerId(cluster, id);
      await this.initialize();
    } catch (error) {
      throw kafkaError('cannot recover the transactions of the restored checkpoint', this.uri, error);
    }
  }

  async finish(): Promise<void> {
    await this.flush();
    if (this.context.checkpointing) return;
    await this.producer!.commit();
  }

  async close(): Promise<void> {
    await this.cluster?.disconnect().catch(() => undefined);
  }

  /** Sends the buffered records into the open transaction. */
  private async send(): Promise<void> {
    const encoder = this.encoder!;
    if (encoder.size === 0) return;
    try {
      await this.initialize();
      await this.producer!.send(encoder.take());
    } catch (error) {
      throw kafkaError('cannot write', this.uri, error);
    }
  }

  /** Fences earlier producers of this subtask's transactional id once, which aborts what they left open. */
  private async initialize(): Promise<void> {
    if (this.initialized) return;
    await this.producer!.init();
    this.initialized = true;
  }
}

/**
 * Logs a committed transaction (at info, one line per checkpoint and subtask): which producer id
 * and epoch's records are now visible, so that an operator (or a test on a broker without
 * transaction markers) can tell committed records from aborted ones. `restored` marks a commit
 * by a recovery, which may repeat one an earlier attempt made.
 */
function logCommitted(uri: KafkaUri, transaction: KafkaTransaction, restored: boolean): void {
  const { transactionalId, producerId, producerEpoch, checkpointId } = transaction;
  log.info({ topic: uri.topic, transactionalId, producerId, producerEpoch, checkpointId, restored }, 'kafka transaction committed');
}

/** The transactions, each once (a transaction carried into a later checkpoint is listed under both). */
function distinct(transactions: readonly KafkaTransaction[]): KafkaTransaction[] {
  const byIdentity = new Map<string, KafkaTransaction>();
  for (const t of transactions) byIdentity.set(`${t.transactionalId}/${t.producerId}/${t.producerEpoch}`, t);
  return [...byIdentity.values()];
}
