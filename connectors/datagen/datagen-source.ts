/**
 * A deterministic data generator source, for examples, tests and benchmarks.
 */
import type { Source, SourceReaderContext } from '../../common/connector/source.ts';
import { checkDataGenOptions, DEFAULT_DATAGEN_SPLITS, type DataGenOptions } from './datagen-options.ts';
import { DataGenSourceReader } from './datagen-source-reader.ts';
import type { DataGenSplit } from './datagen-split.ts';

/**
 * Generates records `0, 1, 2, ...` (bounded by `count`, or forever) with a generator that sees
 * only the index and a generator seeded from (seed, index): record i is the same whatever the
 * parallelism, and the set of records is the same too. Without a generator each record is its
 * index (a number), which makes `DataGenSource` with no type argument a `Source<number>`.
 *
 * Split k of n generates indexes k, k + n, k + 2n, ... (below `count` when bounded), so all splits
 * move through the sequence together: a generator whose event time grows with the index gives
 * every split about the same event time, as partitions of one topic would have.
 */
export class DataGenSource<T = number> implements Source<T> {
  readonly kind = 'datagen';
  readonly bounded: boolean;
  private readonly numSplits: number;

  constructor(private readonly options: DataGenOptions<T> = {}) {
    checkDataGenOptions(options);
    this.bounded = options.count !== undefined;
    this.numSplits = options.numSplits ?? DEFAULT_DATAGEN_SPLITS;
  }

  async enumerateSplits(): Promise<DataGenSplit[]> {
    const n = this.numSplits;
    const count = this.options.count;
    const splits: DataGenSplit[] = [];
    for (let k = 0; k < n; k++) splits.push({ id: `datagen-${k}`, start: k, end: count ?? null, stride: n });
    return splits;
  }

  createReader(_context: SourceReaderContext): DataGenSourceReader<T> {
    const rate = this.options.recordsPerSecond;
    return new DataGenSourceReader(this.options.seed ?? 0, this.options.generator, rate === undefined ? undefined : rate / this.numSplits);
  }
}
