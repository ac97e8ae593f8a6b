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
    for (let k = 0; k < n; k++) {
      if (count === undefined) {
        splits.push({ id: `datagen-${k}`, start: k, end: null, stride: n });
      } else {
        splits.push({ id: `datagen-${k}`, start: rangeStart(count, n, k), end: rangeStart(count, n, k + 1), stride: 1 });
      }
    }
    return splits;
  }

  createReader(_context: SourceReaderContext): DataGenSourceReader<T> {
    const rate = this.options.recordsPerSecond;
    return new DataGenSourceReader(this.options.seed ?? 0, this.options.generator, rate === undefined ? undefined : rate / this.numSplits);
  }
}

/** Start of the k-th of n contiguous ranges of [0, count), exact for any safe count. */
function rangeStart(count: number, n: number, k: number): number {
  return Math.floor(count / n) * k + Math.floor(((count % n) * k) / n);
}
