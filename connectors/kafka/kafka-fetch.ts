/**
 * One round of fetches of a topic's partitions from their leaders, read committed.
 */
import { createRequire } from 'node:module';
import { READ_COMMITTED, type FetchedMessage, type FetchedPartition, type KafkaCluster } from './kafka-cluster.ts';

const require = createRequire(import.meta.url);
/** kafkajs' own filter of records of aborted transactions, as its consumer applies it. */
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages.js') as (batch: {
  messages: readonly FetchedMessage[];
  abortedTransactions: FetchedPartition['abortedTransactions'];
}) => FetchedMessage[];

/** The data records a fetch returned for one partition and the offset to fetch next. */
export interface FetchedBatch {
  readonly messages: readonly FetchedMessage[];
  /** One past the last offset of the response, control and aborted records included. */
  readonly next: number;
}

/** How long a fetch waits on the broker for data, and how much a partition may return. */
export const FETCH_MAX_WAIT_MS = 250;
const PARTITION_MAX_BYTES = 1 << 20;

/**
 * Fetches `wanted` (partition → offset) from each partition's leader in parallel and returns the
 * batches that moved a partition forward. Throws the client's error when a broker fails.
 */
export async function fetchPartitions(cluster: KafkaCluster, topic: string, wanted: ReadonlyMap<number, number>): Promise<Map<number, FetchedBatch>> {
  const byLeader = new Map<number, number[]>();
  for (const meta of cluster.findTopicPartitionMetadata(topic)) {
    if (wanted.has(meta.partitionId)) byLeader.set(meta.leader, [...(byLeader.get(meta.leader) ?? []), meta.partitionId]);
  }
  if (byLeader.size === 0) throw Object.assign(new Error(`no leader known for the partitions of topic "${topic}"`), { retriable: true });
  const batches = new Map<number, FetchedBatch>();
  await Promise.all(
    [...byLeader].map(async ([leader, partitions]) => {
      const broker = await cluster.findBroker({ nodeId: String(leader) });
      const response = await broker.fetch({
        isolationLevel: READ_COMMITTED,
        maxWaitTime: FETCH_MAX_WAIT_MS,
        minBytes: 1,
        topics: [{ topic, partitions: partitions.map((partition) => ({ partition, fetchOffset: String(wanted.get(partition)), maxBytes: PARTITION_MAX_BYTES })) }],
      });
      for (const topicResponse of response.responses) {
        for (const partition of topicResponse.partitions) {
          const batch = fetchedBatchOf(partition, wanted.get(partition.partition) ?? 0);
          if (batch !== undefined) batches.set(partition.partition, batch);
        }
      }
    }),
  );
  return batches;
}

/**
 * The data records of one partition's fetch response from offset `from` on: records of aborted
 * transactions (by the response's aborted-transaction list and abort markers) and control records
 * left out, records before `from` (a batch may start earlier) dropped; `next` is one past the
 * response's last offset. Undefined when the response does not move the partition forward.
 */
export function fetchedBatchOf(partition: FetchedPartition, from: number): FetchedBatch | undefined {
  const raw = partition.messages;
  if (raw.length === 0) return undefined;
  let next = from;
  for (const message of raw) {
    const offset = Number(message.offset) + 1;
    if (offset > next) next = offset;
  }
  if (next === from) return undefined;
  const kept = filterAbortedMessages({ messages: raw, abortedTransactions: partition.abortedTransactions });
  const messages = kept.filter((message) => message.isControlRecord !== true && Number(message.offset) >= from);
  return { messages, next };
}
