/**
 * Runs a source reader as the head of a chain; the task polls it in its main loop. With a
 * watermark strategy it stamps each record with its timestamp and derives watermarks per split.
 */
import { DEFAULT_MAX_MALFORMED_BYTES, type PollStatus, type SourceOutput, type SourceReader, type SourceSplit } from '../../common/connector/source.ts';
import { MALFORMED, type TimestampAssigner, type WatermarkStrategySpec } from '../../client/runtime.ts';
import { errorMessage } from '../../common/errors.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../../common/time.ts';
import { MalformedBudget } from './malformed-budget.ts';
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
  private readonly malformedBudget: MalformedBudget;
  /** The watermark of the restored splits, emitted before the first record after a restore. */
  private restoredWatermark: number | undefined;
  /** Emits a watermark through the task's event path. */
  private readonly emit = (watermark: number): void => {
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
    this.malformedBudget = new MalformedBudget(reader.maxMalformedBytes ?? DEFAULT_MAX_MALFORMED_BYTES, `input "${inputName}"`);
    if (strategy) {
      this.watermarks = new SplitWatermarks(strategy, clock());
      this.current = this.watermarks.split(DEFAULT_SPLIT);
    }
  }

  async open(): Promise<void> {
    const watermarks = this.watermarks;
    if (watermarks && this.splits.length > 0) {
      watermarks.end(DEFAULT_SPLIT);
      // Every split first, so that the combined watermark is the minimum over all of them while
      // their highest timestamps are restored, never one split's alone.
      for (const s of this.splits) watermarks.split(s.id);
      for (const s of this.splits) {
        const restored = restoredMaxTimestamp(s);
        const advanced = restored === undefined ? undefined : watermarks.restore(watermarks.split(s.id), restored);
        if (advanced !== undefined) this.restoredWatermark = advanced;
      }
      this.current = watermarks.split(this.splits[0]!.id);
    }
    this.reader.addSplits(this.splits.map(withoutMaxTimestamp));
    await this.reader.open();
  }

  /**
   * The reader's splits with their positions, dealt out again when the parallelism changes. A
   * checkpoint also starts a new interval of the malformed output's bound.
   */
  snapshotState(checkpointId?: number): OperatorStateSnapshot {
    this.malformedBudget.reset();
    const entries = this.reader.snapshotState(checkpointId);
    const watermarks = this.watermarks;
    return { [SOURCE_SPLITS_STATE]: { mode: 'split', entries: watermarks ? entries.map((s) => withMaxTimestamp(s, watermarks)) : entries } };
  }

  /** Tells the reader that a checkpoint it took part in completed. */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    await this.reader.notifyCheckpointComplete?.(checkpointId);
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

  /**
   * Whether this source holds event time back no more than an idle input: it owns no split (and
   * gets none later, since splits are dealt out once), its reader has read every split (restored
   * as finished, say), or every split is idle. The task tells its consumers to leave it out of
   * their watermark.
   */
  get idle(): boolean {
    return this.splits.length === 0 || this.reader.exhausted === true || (this.watermarks?.allIdle ?? false);
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
    if (this.restoredWatermark !== undefined) {
      this.emit(this.restoredWatermark);
      this.restoredWatermark = undefined;
    }
    this.read++;
    this.output.collect(record, timestamp);
    const watermarks = this.watermarks;
    if (watermarks && (assigner || sourceTimestamp !== undefined)) {
      const advanced = watermarks.observe(this.current!, timestamp);
      if (advanced !== undefined) this.emit(advanced);
    }
  }

  /** Reports a malformed line; throws when the malformed output exceeds its bound for this checkpoint interval. */
  malformed(raw: string, error: string): void {
    this.malformedBudget.charge(raw, error);
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

/** The field of a split's checkpoint entry that keeps its highest event time. */
const MAX_TIMESTAMP_FIELD = 'eventTimeMax';

/** A split's checkpoint entry with the split's highest timestamp, when it has seen one. */
function withMaxTimestamp(split: SourceSplit, watermarks: SplitWatermarks): SourceSplit {
  const max = watermarks.peek(split.id)?.maxTimestamp;
  return max !== undefined && Number.isFinite(max) ? ({ ...split, [MAX_TIMESTAMP_FIELD]: max } as SourceSplit) : split;
}

/** The highest timestamp a restored split entry carries. */
function restoredMaxTimestamp(split: SourceSplit): number | undefined {
  const max = (split as unknown as Record<string, unknown>)[MAX_TIMESTAMP_FIELD];
  return typeof max === 'number' && Number.isFinite(max) ? max : undefined;
}

/** The split as its reader knows it. */
function withoutMaxTimestamp(split: SourceSplit): SourceSplit {
  if (restoredMaxTimestamp(split) === undefined) return split;
  const { [MAX_TIMESTAMP_FIELD]: _max, ...rest } = split as unknown as Record<string, unknown>;
  return rest as unknown as SourceSplit;
}
