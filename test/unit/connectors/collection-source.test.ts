import { describe, expect, it } from 'vitest';
import { splitsForSubtask } from '../../../common/connector/source.ts';
import { fromCollection } from '../../../connectors/collection/collection-source.ts';
import { readerContext } from './contexts.ts';
import { drainReader } from './drain-reader.ts';

describe('fromCollection', () => {
  it('reads every record exactly once at any parallelism, each split in order', async () => {
    const records = Array.from({ length: 103 }, (_, i) => ({ i }));
    const source = fromCollection(records);
    expect(source.bounded).toBe(true);
    const splits = await source.enumerateSplits();
    expect(splits).toHaveLength(8);
    for (const parallelism of [1, 2, 3, 8, 10]) {
      const all: Array<{ i: number }> = [];
      for (let subtask = 0; subtask < parallelism; subtask++) {
        const reader = source.createReader(readerContext(subtask, parallelism));
        const result = await drainReader(reader, splitsForSubtask(splits, subtask, parallelism), { maxRecords: 5 });
        all.push(...result.records);
      }
      expect(all.map((r) => r.i).sort((a, b) => a - b)).toEqual(records.map((r) => r.i));
    }
  });

  it('has no more splits than records and resumes from an offset', async () => {
    const source = fromCollection(['a', 'b', 'c'], { numSplits: 8 });
    const splits = await source.enumerateSplits();
    expect(splits.map((s) => [s.start, s.end])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(await fromCollection([]).enumerateSplits()).toEqual([]);
    const one = await fromCollection(['a', 'b', 'c', 'd'], { numSplits: 1 }).enumerateSplits();
    const rest = await drainReader(fromCollection(['a', 'b', 'c', 'd']).createReader(readerContext()), [{ ...one[0]!, offset: 2 }]);
    expect(rest.records).toEqual(['c', 'd']);
  });
});
