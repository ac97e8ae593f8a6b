/**
 * Partition metadata and offset look-ups of one topic.
 */
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, READ_COMMITTED, type KafkaCluster } from './kafka-cluster.ts';
import type { KafkaStart } from './kafka-uri.ts';

/** The partitions of `topic`, sorted; loads the topic's metadata first. Throws when the topic is missing. */
export async function partitionsOf(cluster: KafkaCluster, topic: string): Promise<number[]> {
  await cluster.addTargetTopic(topic);
  await cluster.refreshMetadata();
  const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
  if (partitions.length === 0) throw Object.assign(new Error('the topic does not exist'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  return partitions.sort((a, b) => a - b);
}

/**
 * For each partition, the offset of `timestamp` (a `ListOffsets` timestamp: `-1` the end, `-2` the
 * start, or epoch milliseconds: the first offset at or after it, the end when there is none),
 * read committed.
 */
export async function offsetsAt(cluster: KafkaCluster, topic: string, partitions: readonly number[], timestamp: string): Promise<Map<number, number>> {
  const byLeader = new Map<number, number[]>();
  for (const meta of cluster.findTopicPartitionMetadata(topic)) {
    if (!partitions.includes(meta.partitionId)) continue;
    byLeader.set(meta.leader, [...(byLeader.get(meta.leader) ?? []), meta.partitionId]);
  }
  const offsets = new Map<number, number>();
  const ends = timestamp === LATEST_TIMESTAMP || timestamp === EARLIEST_TIMESTAMP ? undefined : await offsetsAt(cluster, topic, partitions, LATEST_TIMESTAMP);
  await Promise.all(
    [...byLeader].map(async ([leader, owned]) => {
      const broker = await cluster.findBroker({ nodeId: String(leader) });
      const result = await broker.listOffsets({ isolationLevel: READ_COMMITTED, topics: [{ topic, partitions: owned.map((partition) => ({ partition, timestamp })) }] });
      for (const response of result.responses) {
        for (const { partition, offset } of response.partitions) {
          const value = Number(offset);
          offsets.set(partition, value < 0 ? (ends?.get(partition) ?? 0) : value);
        }
      }
    }),
  );
  return offsets;
}

/** The `ListOffsets` timestamp of a start position. */
export function timestampOfStart(start: KafkaStart): string {
  if (start.kind === 'earliest') return EARLIEST_TIMESTAMP;
  if (start.kind === 'latest') return LATEST_TIMESTAMP;
  return String(start.ms);
}
