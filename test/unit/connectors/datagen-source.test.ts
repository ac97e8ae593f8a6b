import { describe, expect, it } from 'vitest';
import { splitsForSubtask } from '../../../common/connector/source.ts';
import { DataGenSource } from '../../../connectors/datagen/datagen-source.ts';
import type { DataGenOptions } from '../../../connectors/datagen/datagen-options.ts';
import { SplitMixRandom } from '../../../connectors/datagen/split-mix-random.ts';
import { readerContext } from './contexts.ts';
import { drainReader } from './drain-reader.ts';

interface Order {
  id: number;
  amount: number;
  city: string;
}

const orders: DataGenOptions<Order>['generator'] = (index, random) => ({
  id: index,
  amount: random.nextIntBetween(1, 10_000),
  city: random.pick(['Hangzhou', 'Beijing', 'Shanghai']),
});

async function generateAll<T>(source: DataGenSource<T>, parallelism: number, limitPerSubtask = Infinity): Promise<T[]> {
  const splits = await source.enumerateSplits();
  const all: T[] = [];
  for (let subtask = 0; subtask < parallelism; subtask++) {
    const reader = source.createReader(readerContext(subtask, parallelism));
    const result = await drainReader(reader, splitsForSubtask(splits, subtask, parallelism), { maxRecords: 37, limit: limitPerSubtask });
    all.push(...result.records);
  }
  return all;
}

function sortById(records: Order[]): Order[] {
  return [...records].sort((a, b) => a.id - b.id);
}

describe('DataGenSource', () => {
  it('emits exactly count records, each index once, by default the index itself', async () => {
    const source = new DataGenSource({ count: 1001 });
    expect(source.bounded).toBe(true);
    const records = await generateAll(source, 3);
    expect(records).toHaveLength(1001);
    expect([...records].sort((a, b) => a - b)).toEqual(Array.from({ length: 1001 }, (_, i) => i));
  });

  it('generates the same records at parallelism 1 and 3', async () => {
    const options = { count: 500, seed: 42, generator: orders };
    const one = sortById(await generateAll(new DataGenSource(options), 1));
    const three = sortById(await generateAll(new DataGenSource(options), 3));
    expect(three).toEqual(one);
    expect(one).toHaveLength(500);
    expect(new Set(one.map((o) => o.amount)).size).toBeGreaterThan(400);
    const otherSeed = sortById(await generateAll(new DataGenSource({ ...options, seed: 43 }), 1));
    expect(otherSeed).not.toEqual(one);
  });

  it('strides an unbounded source so that records do not depend on the parallelism', async () => {
    const source = new DataGenSource({ seed: 7, generator: orders, numSplits: 4 });
    expect(source.bounded).toBe(false);
    const splits = await source.enumerateSplits();
    expect(splits.map((s) => [s.start, s.stride, s.end])).toEqual([
      [0, 4, null],
      [1, 4, null],
      [2, 4, null],
      [3, 4, null],
    ]);
    const records = await generateAll(source, 2, 200);
    const reference = new SplitMixRandom(7);
    for (const record of records) {
      reference.reset(record.id);
      expect(record.amount).toBe(reference.nextIntBetween(1, 10_000));
    }
    expect(new Set(records.map((r) => r.id)).size).toBe(400);
  });

  it('resumes a split from its snapshotted index', async () => {
    const source = new DataGenSource({ count: 100, numSplits: 2 });
    const splits = await source.enumerateSplits();
    const reader = source.createReader(readerContext());
    const first = await drainReader(reader, splits, { maxRecords: 10, limit: 30 });
    const rest = await drainReader(source.createReader(readerContext()), reader.snapshotState());
    expect([...first.records, ...rest.records].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('honours recordsPerSecond across all subtasks', async () => {
    const source = new DataGenSource({ count: 200, recordsPerSecond: 1000, numSplits: 4 });
    const splits = await source.enumerateSplits();
    const started = performance.now();
    const results = await Promise.all(
      [0, 1].map((subtask) => drainReader(source.createReader(readerContext(subtask, 2)), splitsForSubtask(splits, subtask, 2))),
    );
    const elapsed = performance.now() - started;
    expect(results.reduce((n, r) => n + r.records.length, 0)).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(results[0]?.waits).toBeGreaterThan(0);
  });

  it('rejects options that cannot work', () => {
    expect(() => new DataGenSource({ count: -1 })).toThrow(/count/);
    expect(() => new DataGenSource({ numSplits: 0 })).toThrow(/numSplits/);
    expect(() => new DataGenSource({ recordsPerSecond: 0 })).toThrow(/recordsPerSecond/);
  });
});

describe('SplitMixRandom', () => {
  it('depends only on (seed, index)', () => {
    const a = new SplitMixRandom(1);
    const b = new SplitMixRandom(1);
    a.reset(2 ** 40 + 5);
    const first = [a.nextUint32(), a.nextFloat(), a.nextInt(10)];
    b.reset(3);
    b.nextUint32();
    b.reset(2 ** 40 + 5);
    expect([b.nextUint32(), b.nextFloat(), b.nextInt(10)]).toEqual(first);
    b.reset(5);
    expect(b.nextUint32()).not.toBe(first[0]);
  });

  it('draws floats in [0, 1) roughly uniformly', () => {
    const random = new SplitMixRandom(0);
    random.reset(0);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random.nextFloat();
      if (x < 0 || x >= 1) outside++;
      else buckets[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });
});
