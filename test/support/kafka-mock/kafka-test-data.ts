/**
 * Test helpers: writes messages to a topic with the plain kafkajs producer and reads a topic back
 * with Sluice's bounded Kafka source (read committed).
 */
import kafkajs from 'kafkajs';
import type { SourceOutput } from '../../../common/connector/source.ts';
import { KafkaSource } from '../../../connectors/kafka/kafka-source.ts';
import { parseKafkaUri } from '../../../connectors/kafka/kafka-uri.ts';

/** A message to write: its value text, and its partition and key if given. */
export interface TestMessage {
  readonly value: string;
  readonly partition?: number;
  readonly key?: string;
}

/** Writes `messages` to `topic` in batches of 1000, acknowledged by the leader. */
export async function produceMessages(bootstrap: string, topic: string, messages: readonly TestMessage[]): Promise<void> {
  const kafka = new kafkajs.Kafka({ clientId: 'sluice-test-producer', brokers: bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 1000) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1000).map((m) => ({ value: m.value, partition: m.partition, key: m.key })) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** A record read back and where it was. */
export interface ReadBack {
  readonly record: Record<string, unknown>;
  readonly split: string;
}

/** Reads every committed record of `topic` up to its current end, with their split ids. */
export async function readTopic(bootstrap: string, topic: string): Promise<ReadBack[]> {
  const source = new KafkaSource(parseKafkaUri(`kafka://${bootstrap}/${topic}?bounded=true`));
  const reader = source.createReader({ jobId: 'read-back', operatorId: 'read-back', inputName: 'read-back', subtaskIndex: 0, parallelism: 1, maxParallelism: 128 });
  reader.addSplits(await source.enumerateSplits());
  await reader.open();
  const read: ReadBack[] = [];
  let split = '';
  const output: SourceOutput<Record<string, unknown>> = {
    collect: (record) => read.push({ record, split }),
    malformed: (raw, error) => {
      throw new Error(`read-back of ${topic}: malformed ${raw}: ${error}`);
    },
    setSplit: (id) => {
      split = id;
    },
    splitEnded: () => undefined,
  };
  try {
    while (reader.pollNext(output, 1000) !== 'end') await reader.available();
  } finally {
    await reader.close();
  }
  return read;
}
