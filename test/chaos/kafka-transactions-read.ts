/**
 * Chaos helpers for a transactional Kafka output: reads a topic back with the producer id and
 * epoch of each record's batch (read committed), and collects the transactions the sink says it
 * committed from the TaskManagers' logs (`kafka transaction committed`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterOf, kafkaClient, LATEST_TIMESTAMP } from '../../connectors/kafka/kafka-cluster.ts';
import { fetchPartitions } from '../../connectors/kafka/kafka-fetch.ts';
import { offsetsAt, partitionsOf } from '../../connectors/kafka/kafka-offsets.ts';

/** A record read back, and the transaction (producer id and epoch) whose batch carried it. */
export interface TransactionalRecord {
  readonly record: Record<string, unknown>;
  readonly transaction: string;
}

/** The name of a transaction in `TransactionalRecord` and `committedTransactions`. */
function transactionName(producerId: string, producerEpoch: number): string {
  return `${producerId}/${producerEpoch}`;
}

/** Reads every record of `topic` up to its end offsets, read committed, with its transaction. */
export async function readTopicWithTransactions(bootstrap: string, topic: string): Promise<TransactionalRecord[]> {
  const cluster = clusterOf(kafkaClient(bootstrap.split(','), 'sluice-chaos-read-back'));
  await cluster.connect();
  try {
    const partitions = await partitionsOf(cluster, topic);
    const ends = await offsetsAt(cluster, topic, partitions, LATEST_TIMESTAMP);
    const next = new Map(partitions.filter((p) => (ends.get(p) ?? 0) > 0).map((p) => [p, 0]));
    const read: TransactionalRecord[] = [];
    while (next.size > 0) {
      for (const [partition, batch] of await fetchPartitions(cluster, topic, next)) {
        for (const message of batch.messages) {
          const context = message.batchContext;
          if (context?.producerEpoch === undefined) throw new Error(`${topic}/${partition} offset ${message.offset}: the fetch returned no batch header`);
          read.push({ record: JSON.parse(String(message.value)) as Record<string, unknown>, transaction: transactionName(context.producerId, context.producerEpoch) });
        }
        if (batch.next >= (ends.get(partition) ?? 0)) next.delete(partition);
        else next.set(partition, batch.next);
      }
    }
    return read;
  } finally {
    await cluster.disconnect();
  }
}

/** The transactions of `topic` that the sink subtasks logged as committed, in the log files of `logDir`. */
export function committedTransactions(logDir: string, topic: string): Set<string> {
  const committed = new Set<string>();
  for (const file of readdirSync(logDir).filter((name) => name.startsWith('taskmanager-'))) {
    for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      if (!line.includes('"kafka transaction committed"')) continue;
      const entry = JSON.parse(line) as { topic: string; producerId: string; producerEpoch: number };
      if (entry.topic === topic) committed.add(transactionName(entry.producerId, entry.producerEpoch));
    }
  }
  return committed;
}
