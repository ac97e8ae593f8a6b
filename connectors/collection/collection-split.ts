/**
 * The split of a collection source: a contiguous range of the array.
 */
import type { SourceSplit } from '../../common/connector/source.ts';

/** Records `[start, end)` of the collection. JSON-serializable. */
export interface CollectionSplit extends SourceSplit {
  readonly start: number;
  readonly end: number;
  /** Index of the next record to emit, to resume from a checkpoint; absent means `start`. */
  readonly offset?: number;
}
