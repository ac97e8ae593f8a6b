/**
 * A split of a SQL table snapshot: a range of the first primary-key column, and how far it is read.
 */
import type { SourceSplit } from '../../common/connector/source.ts';

/** Rows whose first key column lies in `[low, high]` (no bounds: the whole table), read after `after`. */
export interface SqlSplit extends SourceSplit {
  /** Inclusive bounds of the first primary-key column; absent for a single split of the whole table. */
  readonly low?: number;
  readonly high?: number;
  /** The primary key of the last row emitted, or absent before the first. */
  readonly after?: readonly unknown[];
  /** Whether every row of the split was emitted. */
  readonly finished: boolean;
}

/** Splits `[min, max]` into at most `count` contiguous ranges of integers. */
export function rangeSplits(table: string, min: number, max: number, count: number): SqlSplit[] {
  const span = max - min + 1;
  const parts = Math.max(1, Math.min(count, span));
  const splits: SqlSplit[] = [];
  for (let i = 0; i < parts; i++) {
    const low = min + Math.floor((span * i) / parts);
    const high = min + Math.floor((span * (i + 1)) / parts) - 1;
    splits.push({ id: `${table}#${String(i).padStart(4, '0')}`, low, high, finished: false });
  }
  return splits;
}
