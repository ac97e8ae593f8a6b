/**
 * Runs a source reader as the head of a chain; the task polls it in its main loop. With a
 * watermark strategy it stamps each record with its timestamp and derives watermarks per split.
 */
import type { PollStatus, SourceOutput, SourceReader, SourceSplit } from '../../common/connector/source.ts';
import { MALFORMED, type TimestampAssigner, type WatermarkStrategySpec } from '../../client/runtime.ts';
import { errorMessage } from '../../common/errors.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../../common/time.ts';
import { SplitWatermarks, type SplitWatermark } from './split-watermarks.ts';
import type { OperatorStateSnapshot, Output, StreamOperator } from './stream-operator.ts';

/** Operator state name of the split positions. */
export const SOURCE_SPLITS_STATE = 'splits';

const DEFAULT_SPLIT = '';

/** Reads splits and emits their records, timestamps and watermarks into the chain. */
export class SourceOperator implements StreamOperator, SourceOutput<unknown> {
  /** Records read, for metrics. */
  read = 0;
  /** Malformed lines reported, for metrics. */
  malformedCount = 0;
  private readonly assigner: TimestampAssigner<unknown> | undefined;
  private readonly watermarks: SplitWatermarks | undefined;
  private current: SplitWatermark | undefined;
  private lastWatermark = Number.NEGATIVE_INFINITY;
  /** Emits a watermark and remembers it for the metric. */
  private readonly emit = (watermark: number): void => {
    this.lastWatermark = watermark;
    this.output.emitWatermark(watermark);
  };

  constructor(
    private readonly reader: SourceReader<unknown>,
    private readonly splits: readonly SourceSplit[],
    private readonly output: Output,
    private readonly inputName: string,
    strategy: WatermarkStrategySpec<unknown> | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.assigner = strategy?.timestampAssigner;
    if (strategy) {
      this.watermarks = new SplitWatermarks(strategy, clock());
      this.current = this.watermarks.split(DEFAULT_SPLIT);
    }
  }

  async open(): Promise<void> {
    this.reader.addSplits(this.splits);
    if (this.watermarks && this.splits.length > 0) {
      this.watermarks.end(DEFAULT_SPLIT);
      for (const s of this.splits) this.watermarks.split(s.id);
      this.current = this.watermarks.split(this.splits[0]!.id);
    }
    await this.reader.open();
  }

  /** The reader's splits with their positions, dealt out again when the parallelism changes. */
  snapshotState(): OperatorStateSnapshot {
    return { [SOURCE_SPLITS_STATE]: { mode: 'split', entries: this.reader.snapshotState() } };
  }

  /** Emits up to `maxRecords` records. */
  poll(maxRecords: number): PollStatus {
    const watermarks = this.watermarks;
    if (watermarks) {
      watermarks.now = this.clock();
      const advanced = watermarks.checkIdleness();
      if (advanced !== undefined) this.emit(advanced);
    }
    return this.reader.pollNext(this, maxRecords);
  }

  /** The watermark this source last emitted. */
  get currentWatermark(): number {
    return this.lastWatermark;
  }

  /** Whether every split is idle: the task tells its consumers to leave it out of their watermark. */
  get idle(): boolean {
    return this.watermarks?.allIdle ?? false;
  }

  /** Resolves when the reader can make progress. */
  available(): Promise<void> {
    return this.reader.available();
  }

  collect(record: unknown, sourceTimestamp?: number): void {
    const assigner = this.assigner;
    let timestamp = sourceTimestamp ?? NO_TIMESTAMP;
    if (assigner) {
      try {
        timestamp = assigner(record);
      } catch (error) {
        this.malformed(JSON.stringify(record), `timestamp assigner failed: ${errorMessage(error)}`);
        return;
      }
      if (!Number.isFinite(timestamp)) {
        this.malformed(JSON.stringify(record), `timestamp assigner returned ${String(timestamp)}, not a finite number`);
        return;
      }
    }
    this.read++;
    this.output.collect(record, timestamp);
    const watermarks = this.watermarks;
    if (watermarks && (assigner || sourceTimestamp !== undefined)) {
      const advanced = watermarks.observe(this.current!, timestamp);
      if (advanced !== undefined) this.emit(advanced);
    }
  }

  malformed(raw: string, error: string): void {
    this.malformedCount++;
    this.output.collectSide(MALFORMED.id, { input: this.inputName, raw, error }, NO_TIMESTAMP);
  }

  setSplit(splitId: string): void {
    if (this.watermarks) this.current = this.watermarks.split(splitId);
  }

  splitEnded(splitId: string): void {
    const advanced = this.watermarks?.end(splitId);
    if (advanced !== undefined) this.emit(advanced);
  }

  processElement(): void {
    throw new Error('a source has no input');
  }

  processWatermark(): void {
    throw new Error('a source has no input');
  }

  /** End of input: event time jumps to the end, which fires every event-time timer downstream. */
  endOfInput(): void {
    this.emit(MAX_WATERMARK);
  }

  async finish(): Promise<void> {}

  close(): Promise<void> {
    return this.reader.close();
  }
}
