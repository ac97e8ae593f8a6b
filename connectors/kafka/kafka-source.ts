/**
 * The source of a `kafka://` input: one split per partition of a topic.
 */
import type { Source, SourceReaderContext } from '../../common/connector/source.ts';
import { clusterOf, kafkaClient, LATEST_TIMESTAMP } from './kafka-cluster.ts';
import { kafkaError } from './kafka-errors.ts';
import { offsetsAt, partitionsOf, timestampOfStart } from './kafka-offsets.ts';
import { KafkaSourceReader, type KafkaReaderOptions } from './kafka-source-reader.ts';
import { kafkaSplitId, type KafkaSplit } from './kafka-split.ts';
import type { KafkaUri } from './kafka-uri.ts';

/**
 * Reads a topic: each partition is a split whose offset a checkpoint keeps. Splits start at the
 * URI's `start` (resolved to offsets when they are enumerated, so a restart resumes from the
 * checkpoint, never from `start`); with `bounded`, each split ends at the partition's end offset
 * at enumeration. Unbounded readers discover partitions added to the topic.
 */
export class KafkaSource implements Source<Record<string, unknown>> {
  readonly kind = 'kafka';
  readonly bounded: boolean;

  constructor(
    readonly uri: KafkaUri,
    private readonly options: KafkaReaderOptions = {},
  ) {
    this.bounded = uri.bounded;
  }

  async enumerateSplits(): Promise<KafkaSplit[]> {
    const { uri } = this;
    const cluster = clusterOf(kafkaClient(uri.brokers, 'sluice-enumerator'));
    try {
      await cluster.connect();
      const partitions = await partitionsOf(cluster, uri.topic);
      const starts = await offsetsAt(cluster, uri.topic, partitions, timestampOfStart(uri.start));
      const ends = uri.bounded ? await offsetsAt(cluster, uri.topic, partitions, LATEST_TIMESTAMP) : undefined;
      return partitions.map((partition) => {
        const split: KafkaSplit = { id: kafkaSplitId(uri.topic, partition), topic: uri.topic, partition, offset: starts.get(partition) ?? 0, knownPartitions: partitions.length };
        return ends === undefined ? split : { ...split, end: ends.get(partition) ?? 0 };
      });
    } catch (error) {
      throw kafkaError('cannot list the partitions', uri, error);
    } finally {
      await cluster.disconnect().catch(() => undefined);
    }
  }

  createReader(context: SourceReaderContext): KafkaSourceReader {
    const { uri, options } = this;
    return new KafkaSourceReader(uri, context, {
      ...options,
      maxRecordsPerSecond: uri.rate ?? options.maxRecordsPerSecond,
      maxMalformedBytes: uri.maxMalformedBytes ?? options.maxMalformedBytes,
    });
  }
}
