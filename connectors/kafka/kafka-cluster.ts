/**
 * The Kafka client's wire-level layer: a typed view of the kafkajs cluster and broker objects.
 *
 * kafkajs' public consumer always joins a consumer group, which would move partitions between
 * subtasks on every rebalance; Sluice assigns partitions itself (one split per partition), so its
 * reader fetches with the client's own broker requests, as the kafkajs consumer does inside, and
 * its sink ends transactions of a crashed producer with `EndTxn`, as Flink's does. kafkajs 2.2.4
 * is no longer released, so these internals do not move under us.
 */
import kafkajs from 'kafkajs';

/** One message of a fetch response, as kafkajs decodes it. */
export interface FetchedMessage {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  readonly isControlRecord?: boolean;
  readonly batchContext?: { readonly producerId: string; readonly producerEpoch?: number; readonly inTransaction: boolean };
}

/** One partition of a fetch response. */
export interface FetchedPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: string;
  readonly lastStableOffset?: string;
  readonly abortedTransactions?: readonly { readonly producerId: string; readonly firstOffset: string }[];
  readonly messages: readonly FetchedMessage[];
}

/** The broker requests Sluice uses. */
export interface KafkaBroker {
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes?: number;
    maxBytes?: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: FetchedPartition[] }[] }>;
  listOffsets(request: {
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; timestamp: string }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number; offset: string }[] }[] }>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
  endTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
  initProducerId(request: { transactionalId: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  addPartitionsToTxn(request: {
    transactionalId: string;
    producerId: string;
    producerEpoch: number;
    topics: { topic: string; partitions: number[] }[];
  }): Promise<unknown>;
  produce(request: {
    transactionalId: string;
    producerId: string;
    producerEpoch: number;
    acks: number;
    topicData: { topic: string; partitions: { partition: number; firstSequence: number; messages: ProducedMessage[] }[] }[];
  }): Promise<unknown>;
}

/** A record to produce: the key (for the partition and compaction) and the value bytes. */
export interface ProducedMessage {
  readonly key: Buffer | null;
  readonly value: Buffer;
}

/** Partition metadata of a topic. */
export interface PartitionMetadata {
  readonly partitionId: number;
  readonly leader: number;
}

/** The cluster object of kafkajs: metadata, leaders and brokers. */
export interface KafkaCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findBroker(request: { nodeId: string }): Promise<KafkaBroker>;
  findGroupCoordinator(request: { groupId: string; coordinatorType?: number }): Promise<KafkaBroker>;
}

/** `isolationLevel` of fetch and list-offsets requests that hides open and aborted transactions. */
export const READ_COMMITTED = 1;
/** The coordinator type of transactional ids in `FindCoordinator`. */
export const TRANSACTION_COORDINATOR = 1;
/** The `ListOffsets` timestamp that asks for the log end (the next offset to be written). */
export const LATEST_TIMESTAMP = '-1';
/** The `ListOffsets` timestamp that asks for the log start (the first offset still kept). */
export const EARLIEST_TIMESTAMP = '-2';

/** A kafkajs client for `brokers`, with Sluice's retry budget and no kafkajs logging. */
export function kafkaClient(brokers: readonly string[], clientId: string): kafkajs.Kafka {
  return new kafkajs.Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
}

/** The cluster of `client` (kafkajs creates one per producer and consumer; this one is Sluice's own). */
export function clusterOf(client: kafkajs.Kafka): KafkaCluster {
  const create = (client as unknown as Record<symbol, unknown>)[createClusterSymbol(client)];
  if (typeof create !== 'function') throw new Error('kafka: this kafkajs version has no cluster factory');
  return create.call(client, { allowAutoTopicCreation: false, isolationLevel: READ_COMMITTED }) as KafkaCluster;
}

function createClusterSymbol(client: kafkajs.Kafka): symbol {
  const symbol = Object.getOwnPropertySymbols(client).find((s) => s.description === 'private:Kafka:createCluster');
  if (symbol === undefined) throw new Error('kafka: this kafkajs version has no cluster factory');
  return symbol;
}
