/**
 * A bounded in-memory source, for tests and examples.
 */
import type { Source, SourceReaderContext } from '../../common/connector/source.ts';
import { CollectionSourceReader } from './collection-source-reader.ts';
import type { CollectionSplit } from './collection-split.ts';

/** Default number of splits of a collection source. */
export const DEFAULT_COLLECTION_SPLITS = 8;

/** Options of `fromCollection`. */
export interface CollectionSourceOptions {
  /**
   * How many contiguous parts the array is cut into (default 8, never more than the records).
   * Splits are enumerated before the parallelism is known, so this is not tied to it: split i
   * goes to subtask i mod p, and every record is read exactly once at any parallelism.
   */
  readonly numSplits?: number;
}

/**
 * Emits the records of an array, bounded. The job module that builds the graph holds the array,
 * so every process that rebuilds the graph has the same records.
 */
export class BoundedCollectionSource<T> implements Source<T> {
  readonly kind = 'collection';
  readonly bounded = true;
  private readonly numSplits: number;

  constructor(
    private readonly records: readonly T[],
    options: CollectionSourceOptions = {},
  ) {
    const requested = options.numSplits ?? DEFAULT_COLLECTION_SPLITS;
    if (!Number.isInteger(requested) || requested < 1) {
      throw new Error(`collection source: numSplits must be a positive integer, got ${requested}`);
    }
    this.numSplits = Math.min(requested, records.length);
  }

  async enumerateSplits(): Promise<CollectionSplit[]> {
    const n = this.numSplits;
    const count = this.records.length;
    const splits: CollectionSplit[] = [];
    for (let k = 0; k < n; k++) {
      splits.push({ id: `collection-${k}`, start: Math.floor((k * count) / n), end: Math.floor(((k + 1) * count) / n) });
    }
    return splits;
  }

  createReader(_context: SourceReaderContext): CollectionSourceReader<T> {
    return new CollectionSourceReader(this.records);
  }
}

/** A bounded source of the given records (see `BoundedCollectionSource`). */
export function fromCollection<T>(records: readonly T[], options: CollectionSourceOptions = {}): BoundedCollectionSource<T> {
  return new BoundedCollectionSource(records, options);
}
