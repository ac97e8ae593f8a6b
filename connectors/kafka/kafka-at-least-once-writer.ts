/**
 * The at-least-once writer of one Kafka sink subtask (`?delivery=at-least-once`).
 */
import type kafkajs from 'kafkajs';
import type { SinkContext, SinkWriter } from '../../common/connector/sink.ts';
import { clusterOf, kafkaClient } from './kafka-cluster.ts';
import { kafkaError } from './kafka-errors.ts';
import { partitionsOf } from './kafka-offsets.ts';
import { KafkaRecordEncoder, type KafkaKeySelector } from './kafka-record-encoder.ts';
import type { KafkaUri } from './kafka-uri.ts';

/**
 * Produces the buffered records in `flush`, acknowledged by all in-sync replicas; a checkpoint
 * barrier flushes, so every record before it is in Kafka when the checkpoint completes. A replay
 * after a failure may write records again.
 */
export class KafkaAtLeastOnceWriter implements SinkWriter<unknown> {
  private producer: kafkajs.Producer | undefined;
  private encoder: KafkaRecordEncoder | undefined;

  constructor(
    private readonly uri: KafkaUri,
    private readonly context: SinkContext,
    private readonly keyOf: KafkaKeySelector | undefined,
  ) {}

  async open(): Promise<void> {
    const client = kafkaClient(this.uri.brokers, `sluice-sink-${this.context.operatorId}-${this.context.subtaskIndex}`);
    const cluster = clusterOf(client);
    try {
      await cluster.connect();
      const partitions = await partitionsOf(cluster, this.uri.topic);
      this.encoder = new KafkaRecordEncoder(partitions.length, this.keyOf);
      await cluster.disconnect();
      this.producer = client.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    } catch (error) {
      throw kafkaError('cannot open the sink', this.uri, error);
    }
  }

  write(record: unknown): void {
    this.encoder!.add(record);
  }

  async flush(): Promise<void> {
    const encoder = this.encoder!;
    if (encoder.size === 0) return;
    const messages: kafkajs.Message[] = [];
    for (const [partition, list] of encoder.take()) for (const { key, value } of list) messages.push({ key, value, partition });
    try {
      await this.producer!.send({ topic: this.uri.topic, messages, acks: -1 });
    } catch (error) {
      throw kafkaError('cannot write', this.uri, error);
    }
  }

  async finish(): Promise<void> {
    await this.flush();
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }
}
