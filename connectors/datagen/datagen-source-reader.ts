/**
 * The reader of one datagen subtask.
 */
import { performance } from 'node:perf_hooks';
import { bySplitId, type PollStatus, type SourceOutput, type SourceReader } from '../../common/connector/source.ts';
import type { DataGenerator } from './datagen-options.ts';
import type { DataGenSplit } from './datagen-split.ts';
import { RateLimiter } from './rate-limiter.ts';
import { SplitMixRandom } from './split-mix-random.ts';

interface IndexCursor {
  readonly id: string;
  readonly split: DataGenSplit;
  next: number;
  readonly end: number;
  readonly stride: number;
}

/**
 * Generates the records of its splits in a tight loop: per record, one generator call (or none
 * with the default generator) and no other allocation. Splits interleave by poll. With a rate,
 * a poll emits at most what the schedule allows, and `available` waits on a timer. A snapshot
 * holds each split's next index (`DataGenSplit.offset`); generation is deterministic, so resuming
 * there continues exactly.
 */
export class DataGenSourceReader<T> implements SourceReader<T> {
  private readonly active: IndexCursor[] = [];
  /** Splits added as already exhausted, whose end the next poll reports. */
  private readonly ending: DataGenSplit[] = [];
  private readonly finished: DataGenSplit[] = [];
  private cursor = 0;
  private assigned = 0;
  private readonly random: SplitMixRandom;
  private limiter: RateLimiter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiting: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  /**
   * @param generator builds record i; undefined emits the index itself
   * @param ratePerSplit records per second each split is allowed, or undefined for no limit
   */
  constructor(
    seed: number,
    private readonly generator: DataGenerator<T> | undefined,
    private readonly ratePerSplit: number | undefined,
  ) {
    this.random = new SplitMixRandom(seed);
  }

  addSplits(splits: readonly DataGenSplit[]): void {
    for (const split of splits) {
      const cursor = { id: split.id, split, next: split.offset ?? split.start, end: split.end ?? Infinity, stride: split.stride };
      if (cursor.next < cursor.end) this.active.push(cursor);
      else this.ending.push(split);
    }
    this.assigned += splits.length;
    if (this.ratePerSplit !== undefined && this.assigned > 0) this.limiter = new RateLimiter(this.ratePerSplit * this.assigned);
  }

  async open(): Promise<void> {}

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    for (const split of this.ending.splice(0)) {
      this.finished.push(split);
      output.splitEnded(split.id);
    }
    const active = this.active;
    if (active.length === 0) return 'end';
    let budget = maxRecords;
    const limiter = this.limiter;
    let now = 0;
    if (limiter !== undefined) {
      now = performance.now();
      const allowed = limiter.allowance(now);
      if (allowed <= 0) return 'nothing';
      if (allowed < budget) budget = allowed;
    }
    const generator = this.generator;
    const random = this.random;
    let emitted = 0;
    while (emitted < budget && active.length > 0) {
      if (this.cursor >= active.length) this.cursor = 0;
      const range = active[this.cursor] as IndexCursor;
      const end = range.end;
      const stride = range.stride;
      const take = budget - emitted;
      output.setSplit(range.id);
      let i = range.next;
      let n = 0;
      if (generator === undefined) {
        for (; n < take && i < end; n++, i += stride) output.collect(i as T);
      } else {
        for (; n < take && i < end; n++, i += stride) {
          random.reset(i);
          output.collect(generator(i, random));
        }
      }
      range.next = i;
      emitted += n;
      if (i >= end) {
        active.splice(this.cursor, 1);
        this.finished.push({ ...range.split, offset: i });
        output.splitEnded(range.id);
      } else {
        this.cursor++;
      }
    }
    if (limiter !== undefined) limiter.consume(emitted);
    if (active.length === 0) return 'end';
    return budget < maxRecords ? 'nothing' : 'more';
  }

  available(): Promise<void> {
    const limiter = this.limiter;
    if (limiter === undefined || this.active.length === 0 || this.ending.length > 0) return Promise.resolve();
    const now = performance.now();
    if (limiter.allowance(now) > 0) return Promise.resolve();
    this.waiting ??= new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => this.wakeUp(), limiter.delayMs(now));
    });
    return this.waiting;
  }

  /** Every split this reader was given with its next index as `offset`, sorted by split id. */
  snapshotState(): DataGenSplit[] {
    const splits = [...this.finished, ...this.ending];
    for (const range of this.active) splits.push({ ...range.split, offset: range.next });
    return splits.sort(bySplitId);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.timer = undefined;
    this.waiting = undefined;
    this.wake = undefined;
    wake?.();
  }
}
