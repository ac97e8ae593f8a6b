/**
 * Turns sink records into Kafka messages on their partitions.
 */
import type { ProducedMessage } from './kafka-cluster.ts';
import { partitionOfKey } from './murmur2.ts';

/** Picks a record's key; undefined or null means no key (records then go round-robin). */
export type KafkaKeySelector = (record: unknown) => string | number | Buffer | undefined | null;

/** Buffers encoded records by partition: keyed ones by murmur2 of the key bytes, others round-robin. */
export class KafkaRecordEncoder {
  private byPartition = new Map<number, ProducedMessage[]>();
  private next = 0;
  /** Records buffered. */
  size = 0;

  constructor(
    private readonly numPartitions: number,
    private readonly keyOf: KafkaKeySelector | undefined,
  ) {}

  /** Encodes `record` as JSON and buffers it. */
  add(record: unknown): void {
    const value = Buffer.from(JSON.stringify(record) ?? 'null', 'utf8');
    const selected = this.keyOf?.(record);
    let key: Buffer | null = null;
    let partition: number;
    if (selected === undefined || selected === null) {
      partition = this.next;
      this.next = (this.next + 1) % this.numPartitions;
    } else {
      key = Buffer.isBuffer(selected) ? selected : Buffer.from(String(selected), 'utf8');
      partition = partitionOfKey(key, this.numPartitions);
    }
    let list = this.byPartition.get(partition);
    if (list === undefined) this.byPartition.set(partition, (list = []));
    list.push({ key, value });
    this.size++;
  }

  /** The buffered messages by partition; the buffer starts empty again. */
  take(): Map<number, ProducedMessage[]> {
    const taken = this.byPartition;
    this.byPartition = new Map();
    this.size = 0;
    return taken;
  }
}

/** The key selector of `?key=FIELD`: the field's value of an object record. */
export function fieldKeySelector(field: string): KafkaKeySelector {
  return (record) => {
    if (typeof record !== 'object' || record === null) return undefined;
    const value = (record as Record<string, unknown>)[field];
    return typeof value === 'string' || typeof value === 'number' ? value : value === undefined || value === null ? undefined : JSON.stringify(value);
  };
}
