/**
 * The reader of one collection-source subtask.
 */
import { bySplitId, type PollStatus, type SourceOutput, type SourceReader } from '../../common/connector/source.ts';
import type { CollectionSplit } from './collection-split.ts';

interface RangeCursor {
  readonly id: string;
  readonly split: CollectionSplit;
  next: number;
  readonly end: number;
}

/**
 * Emits the records of its splits, interleaving splits by poll and keeping each split in array
 * order. Everything is in memory, so it never returns `nothing`. A snapshot holds each split's
 * next index (`CollectionSplit.offset`).
 */
export class CollectionSourceReader<T> implements SourceReader<T> {
  private readonly active: RangeCursor[] = [];
  private readonly finished: CollectionSplit[] = [];
  private cursor = 0;

  constructor(private readonly records: readonly T[]) {}

  addSplits(splits: readonly CollectionSplit[]): void {
    for (const split of splits) this.active.push({ id: split.id, split, next: split.offset ?? split.start, end: split.end });
  }

  async open(): Promise<void> {}

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    const active = this.active;
    const records = this.records;
    let emitted = 0;
    while (emitted < maxRecords && active.length > 0) {
      if (this.cursor >= active.length) this.cursor = 0;
      const range = active[this.cursor] as RangeCursor;
      const stop = Math.min(range.end, range.next + maxRecords - emitted);
      output.setSplit(range.id);
      let i = range.next;
      for (; i < stop; i++) output.collect(records[i] as T);
      emitted += Math.max(0, stop - range.next);
      range.next = i;
      if (i >= range.end) {
        active.splice(this.cursor, 1);
        this.finished.push({ ...range.split, offset: i });
        output.splitEnded(range.id);
      } else {
        this.cursor++;
      }
    }
    return active.length === 0 ? 'end' : 'more';
  }

  async available(): Promise<void> {}

  /** Every split this reader was given with the index of its next record as `offset`, sorted by split id. */
  snapshotState(): CollectionSplit[] {
    const splits = [...this.finished];
    for (const range of this.active) splits.push({ ...range.split, offset: range.next });
    return splits.sort(bySplitId);
  }

  async close(): Promise<void> {}
}
