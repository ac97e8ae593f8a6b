/**
 * The split of a Kafka source: one partition of the topic.
 */
import type { SourceSplit } from '../../common/connector/source.ts';

/** One partition and the offset to read next. JSON-serializable, for deployments and checkpoints. */
export interface KafkaSplit extends SourceSplit {
  readonly topic: string;
  readonly partition: number;
  /** The offset of the next record to read. */
  readonly offset: number;
  /** With `?bounded=true`, the end offset at start: the split ends before it. Absent when unbounded. */
  readonly end?: number;
  /**
   * How many partitions the topic had when this split was last snapshotted: partition discovery
   * adds only partitions at or above the largest such count of a reader's splits.
   */
  readonly knownPartitions: number;
  /**
   * A marker that carries only `knownPartitions` (partition -1), so that an unbounded reader
   * without partitions still knows, after a restore, which partitions it must discover.
   */
  readonly marker?: true;
}

/** The marker split of an unbounded reader of `topic` (see `KafkaSplit.marker`). */
export function kafkaMarkerSplit(topic: string, subtaskIndex: number, knownPartitions: number): KafkaSplit {
  return { id: `${topic}~known-${String(subtaskIndex).padStart(5, '0')}`, topic, partition: -1, offset: 0, knownPartitions, marker: true };
}

/** The id of a partition's split, `TOPIC-PARTITION` with the partition zero-padded so ids sort by partition. */
export function kafkaSplitId(topic: string, partition: number): string {
  return `${topic}-${String(partition).padStart(5, '0')}`;
}
