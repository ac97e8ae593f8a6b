import { describe, expect, it } from 'vitest';
import { murmur2, partitionOfKey } from '../../../connectors/kafka/murmur2.ts';

/** Values of Kafka's Java `Utils.murmur2` (its UtilsTest.testMurmur2). */
const JAVA_VALUES: ReadonlyArray<readonly [string, number]> = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('murmur2', () => {
  it.each(JAVA_VALUES)('hashes %j as the Java client does', (text, expected) => {
    expect(murmur2(Buffer.from(text, 'utf8'))).toBe(expected);
  });

  it('partitions as toPositive(murmur2(key)) % numPartitions', () => {
    expect(partitionOfKey(Buffer.from('foobar'), 7)).toBe((-790332482 & 0x7fffffff) % 7);
    expect(partitionOfKey(Buffer.from('21'), 4)).toBe((-973932308 & 0x7fffffff) % 4);
  });

  it('hashes the empty key and keys of every tail length', () => {
    const seen = new Set<number>();
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'abcde']) seen.add(murmur2(Buffer.from(text)));
    expect(seen.size).toBe(6);
  });
});
