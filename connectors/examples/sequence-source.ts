/**
 * The example source of the README's "Writing a connector": the numbers 0 to count-1 as records
 * `{n}`, cut into `splits` ranges. A split's position is the next number to emit, so a restore
 * from a checkpoint resumes each range exactly where the checkpoint left it.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { bySplitId, type PollStatus, type Source, type SourceOutput, type SourceReader, type SourceReaderContext, type SourceSplit } from '../../common/connector/source.ts';
import { RateLimiter } from '../datagen/rate-limiter.ts';

/** One range of numbers: `next` (the position) up to `end`, exclusive. */
export interface SequenceSplit extends SourceSplit {
  readonly next: number;
  readonly end: number;
}

/** A bounded source of `count` numbers in `splits` ranges, at most `recordsPerSecond` per subtask when given. */
export class SequenceSource implements Source<Record<string, unknown>> {
  readonly kind = 'sequence';
  readonly bounded = true;

  constructor(
    private readonly count: number,
    private readonly splits: number,
    private readonly recordsPerSecond?: number,
  ) {}

  /** Cuts 0..count into ranges; the runtime hands each subtask its share and restores them from checkpoints. */
  async enumerateSplits(): Promise<SequenceSplit[]> {
    const size = Math.ceil(this.count / this.splits);
    return Array.from({ length: this.splits }, (_, i) => ({ id: `range-${i}`, next: i * size, end: Math.min(this.count, (i + 1) * size) }));
  }

  createReader(_context: SourceReaderContext): SourceReader<Record<string, unknown>> {
    return new SequenceReader(this.recordsPerSecond === undefined ? undefined : new RateLimiter(this.recordsPerSecond));
  }
}

/** Emits its ranges one after the other; `available` waits only for the rate. */
class SequenceReader implements SourceReader<Record<string, unknown>> {
  private readonly splits: SequenceSplit[] = [];
  private readonly ended = new Set<string>();

  constructor(private readonly limiter: RateLimiter | undefined) {}

  async open(): Promise<void> {}

  addSplits(splits: readonly SourceSplit[]): void {
    this.splits.push(...(splits as SequenceSplit[]));
  }

  pollNext(output: SourceOutput<Record<string, unknown>>, maxRecords: number): PollStatus {
    for (const split of this.splits) {
      if (split.next < split.end || this.ended.has(split.id)) continue;
      this.ended.add(split.id);
      output.splitEnded(split.id);
    }
    const index = this.splits.findIndex((s) => s.next < s.end);
    const split = this.splits[index];
    if (split === undefined) return 'end';
    const budget = this.limiter?.budget(maxRecords, performance.now()) ?? maxRecords;
    if (budget <= 0) return 'nothing';
    output.setSplit(split.id);
    const stop = Math.min(split.end, split.next + budget);
    for (let n = split.next; n < stop; n++) output.collect({ n });
    this.limiter?.consume(stop - split.next);
    this.splits[index] = { ...split, next: stop };
    return 'more';
  }

  snapshotState(): SequenceSplit[] {
    return [...this.splits].sort(bySplitId);
  }

  async available(): Promise<void> {
    const limiter = this.limiter;
    if (limiter !== undefined && limiter.allowance(performance.now()) <= 0) await sleep(limiter.delayMs(performance.now()), undefined, { ref: false });
  }

  async close(): Promise<void> {}
}
