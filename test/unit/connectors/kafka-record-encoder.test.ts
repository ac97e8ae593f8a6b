import { describe, expect, it } from 'vitest';
import { fieldKeySelector, KafkaRecordEncoder } from '../../../connectors/kafka/kafka-record-encoder.ts';
import { partitionOfKey } from '../../../connectors/kafka/murmur2.ts';

describe('KafkaRecordEncoder', () => {
  it('puts a keyed record on murmur2(key) mod partitions and deals unkeyed ones round-robin', () => {
    const encoder = new KafkaRecordEncoder(3, fieldKeySelector('user'));
    encoder.add({ user: 'foobar', n: 1 });
    encoder.add({ n: 2 });
    encoder.add({ n: 3 });
    encoder.add({ user: 7, n: 4 });
    expect(encoder.size).toBe(4);
    const byPartition = encoder.take();
    expect(encoder.size).toBe(0);
    const where = new Map<number, number>();
    for (const [partition, messages] of byPartition) {
      for (const { value } of messages) where.set((JSON.parse(value.toString()) as { n: number }).n, partition);
    }
    expect(where.get(1)).toBe(partitionOfKey(Buffer.from('foobar'), 3));
    expect(where.get(4)).toBe(partitionOfKey(Buffer.from('7'), 3));
    expect([where.get(2), where.get(3)]).toEqual([0, 1]);
    const keyed = [...byPartition.values()].flat().find((m) => m.key !== null && m.key.toString() === 'foobar');
    expect(keyed?.value.toString()).toBe('{"user":"foobar","n":1}');
  });

  it('keys a non-scalar field by its JSON and leaves records without the field unkeyed', () => {
    const select = fieldKeySelector('k');
    expect(select({ k: { a: 1 } })).toBe('{"a":1}');
    expect(select({ k: null })).toBeUndefined();
    expect(select({})).toBeUndefined();
    expect(select('text')).toBeUndefined();
  });
});
