/**
 * A transactional Kafka producer on the client's broker requests, whose producer id and epoch
 * are known, so that a transaction can be recorded in a checkpoint and committed after a crash.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TRANSACTION_COORDINATOR, type KafkaBroker, type KafkaCluster, type ProducedMessage } from './kafka-cluster.ts';
import { isRetriable, kafkaErrorType } from './kafka-errors.ts';

/** A transaction as a checkpoint stores it: enough to commit it from another process. */
export interface KafkaTransaction {
  readonly transactionalId: string;
  readonly producerId: string;
  readonly producerEpoch: number;
  /** The checkpoint whose barrier ended the transaction's data. */
  readonly checkpointId: number;
}

/** Errors of `EndTxn` that mean the transaction was ended before (committed by an earlier try, then fenced). */
const ENDED_BEFORE = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_TXN_STATE', 'INVALID_PRODUCER_ID_MAPPING']);
/** `InitProducerId` while the previous transaction of the id is being ended: retry. */
const RETRY_INIT = new Set(['CONCURRENT_TRANSACTIONS', 'COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);
const TRANSACTION_TIMEOUT_MS = 15 * 60_000;

/**
 * One transactional id: `init` fences earlier producers of the id (the broker aborts their open
 * transaction), `send` adds partitions to the transaction and produces with sequence numbers,
 * `commit` ends it. Calls must not overlap.
 */
export class KafkaTransactionalProducer {
  private producerId = '-1';
  private producerEpoch = -1;
  private readonly sequences = new Map<number, number>();
  private readonly inTransaction = new Set<number>();

  constructor(
    private readonly cluster: KafkaCluster,
    private readonly topic: string,
    readonly transactionalId: string,
  ) {}

  /** Whether the current transaction has data. */
  get open(): boolean {
    return this.inTransaction.size > 0;
  }

  /** Gets a producer id and a new epoch for the transactional id, aborting what an earlier producer left open. */
  async init(): Promise<void> {
    const result = await initProducerId(this.cluster, this.transactionalId);
    this.producerId = result.producerId;
    this.producerEpoch = result.producerEpoch;
    this.sequences.clear();
    this.inTransaction.clear();
  }

  /** Produces `byPartition` inside the current transaction, starting it if needed. */
  async send(byPartition: ReadonlyMap<number, ProducedMessage[]>): Promise<void> {
    const added = [...byPartition.keys()].filter((partition) => !this.inTransaction.has(partition));
    if (added.length > 0) {
      const coordinator = await this.coordinator();
      await coordinator.addPartitionsToTxn({ ...this.identity(), topics: [{ topic: this.topic, partitions: added }] });
      for (const partition of added) this.inTransaction.add(partition);
    }
    const byLeader = new Map<number, number[]>();
    for (const meta of this.cluster.findTopicPartitionMetadata(this.topic)) {
      if (byPartition.has(meta.partitionId)) byLeader.set(meta.leader, [...(byLeader.get(meta.leader) ?? []), meta.partitionId]);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, partitions]) => {
        const broker = await this.cluster.findBroker({ nodeId: String(leader) });
        const data = partitions.map((partition) => {
          const messages = byPartition.get(partition) ?? [];
          const firstSequence = this.sequences.get(partition) ?? 0;
          this.sequences.set(partition, firstSequence + messages.length);
          return { partition, firstSequence, messages };
        });
        await broker.produce({ ...this.identity(), acks: -1, topicData: [{ topic: this.topic, partitions: data }] });
      }),
    );
  }

  /** The current transaction, as a checkpoint records it. */
  transactionOf(checkpointId: number): KafkaTransaction {
    return { ...this.identity(), checkpointId };
  }

  /**
   * Commits the current transaction; the next `send` starts another. Throws when the broker says
   * the transaction is no longer this producer's (it timed out, or a newer producer fenced it).
   */
  async commit(): Promise<void> {
    if (!this.open) return;
    if (!(await endTransaction(this.cluster, this.transactionOf(0)))) {
      throw new Error(`transaction of "${this.transactionalId}" (producer ${this.producerId}, epoch ${this.producerEpoch}) was aborted by the broker (timed out or fenced); its records are lost`);
    }
    this.inTransaction.clear();
  }

  private identity(): { transactionalId: string; producerId: string; producerEpoch: number } {
    return { transactionalId: this.transactionalId, producerId: this.producerId, producerEpoch: this.producerEpoch };
  }

  private coordinator(): Promise<KafkaBroker> {
    return this.cluster.findGroupCoordinator({ groupId: this.transactionalId, coordinatorType: TRANSACTION_COORDINATOR });
  }
}

/**
 * Commits `transaction` with its producer id and epoch, from any process. Returns false when
 * the broker says it was ended before (committed by an earlier try, since only a restore that
 * does not hold it aborts it).
 */
export async function endTransaction(cluster: KafkaCluster, transaction: KafkaTransaction): Promise<boolean> {
  const coordinator = await cluster.findGroupCoordinator({ groupId: transaction.transactionalId, coordinatorType: TRANSACTION_COORDINATOR });
  try {
    await coordinator.endTxn({
      transactionalId: transaction.transactionalId,
      producerId: transaction.producerId,
      producerEpoch: transaction.producerEpoch,
      transactionResult: true,
    });
    return true;
  } catch (error) {
    if (ENDED_BEFORE.has(kafkaErrorType(error) ?? '')) return false;
    throw error;
  }
}

/** Fences the transactional id: the broker aborts its open transaction. */
export async function initProducerId(cluster: KafkaCluster, transactionalId: string): Promise<{ producerId: string; producerEpoch: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const coordinator = await cluster.findGroupCoordinator({ groupId: transactionalId, coordinatorType: TRANSACTION_COORDINATOR });
      return await coordinator.initProducerId({ transactionalId, transactionTimeout: TRANSACTION_TIMEOUT_MS });
    } catch (error) {
      const again = RETRY_INIT.has(kafkaErrorType(error) ?? '') || isRetriable(error);
      if (!again || attempt >= 20) throw error;
      await sleep(Math.min(1_000, 50 * attempt));
    }
  }
}
