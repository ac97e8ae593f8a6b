/**
 * The sink of a `kafka://` output: JSON records into a topic, exactly once or at least once.
 */
import type { Sink, SinkContext, SinkWriter } from '../../common/connector/sink.ts';
import { KafkaAtLeastOnceWriter } from './kafka-at-least-once-writer.ts';
import { fieldKeySelector, type KafkaKeySelector } from './kafka-record-encoder.ts';
import { KafkaTransactionalWriter } from './kafka-transactional-writer.ts';
import type { KafkaUri } from './kafka-uri.ts';

/** Options of a Kafka sink that its URI does not tell. */
export interface KafkaSinkOptions {
  /** The key of each record, partitioned as Kafka's Java client does; wins over `?key=`. */
  readonly key?: KafkaKeySelector;
}

/**
 * Writes each record as a JSON value. With `delivery=exactly-once` (the default) and checkpoints,
 * a subtask writes in transactions that completed checkpoints commit (`KafkaTransactionalWriter`);
 * with `delivery=at-least-once`, every checkpoint flushes (`KafkaAtLeastOnceWriter`).
 */
export class KafkaSink implements Sink<unknown> {
  readonly kind = 'kafka';
  private readonly keyOf: KafkaKeySelector | undefined;

  constructor(
    readonly uri: KafkaUri,
    options: KafkaSinkOptions = {},
  ) {
    this.keyOf = options.key ?? (uri.keyField === undefined ? undefined : fieldKeySelector(uri.keyField));
  }

  createWriter(context: SinkContext): SinkWriter<unknown> {
    if (this.uri.delivery === 'at-least-once') return new KafkaAtLeastOnceWriter(this.uri, context, this.keyOf);
    return new KafkaTransactionalWriter(this.uri, context, this.keyOf);
  }
}
