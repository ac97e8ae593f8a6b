/**
 * `assignTimestampsAndWatermarks` in the middle of a pipeline: stamps records and generates
 * watermarks as if its input were one split. Watermarks from upstream are dropped, except the
 * final one at end of input, as in Flink. Records it cannot stamp go to the malformed output, which
 * is bounded per checkpoint interval like a source's.
 */
import { MALFORMED, type TimestampAssigner, type WatermarkStrategySpec } from '../../client/runtime.ts';
import { DEFAULT_MAX_MALFORMED_BYTES } from '../../common/connector/source.ts';
import { errorMessage } from '../../common/errors.ts';
import { MAX_WATERMARK } from '../../common/time.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import { MalformedBudget } from './malformed-budget.ts';
import { SplitWatermarks, type SplitWatermark } from './split-watermarks.ts';
import type { OperatorStateSnapshot } from './stream-operator.ts';

/** Assigns timestamps and watermarks to a stream. */
export class TimestampsAndWatermarksOperator extends AbstractStreamOperator {
  private readonly assigner: TimestampAssigner<unknown> | undefined;
  private readonly watermarks: SplitWatermarks;
  private readonly split: SplitWatermark;
  private readonly malformedBudget: MalformedBudget;

  constructor(setup: UserOperatorSetup, spec: WatermarkStrategySpec<unknown>) {
    super(setup);
    this.assigner = spec.timestampAssigner;
    this.watermarks = new SplitWatermarks(spec, this.processingTime.now());
    this.split = this.watermarks.split('');
    this.malformedBudget = new MalformedBudget(DEFAULT_MAX_MALFORMED_BYTES, `operator "${this.context.taskName}"`);
  }

  processElement(record: unknown, timestamp: number): void {
    let ts = timestamp;
    if (this.assigner) {
      try {
        ts = this.assigner(record);
      } catch (error) {
        this.malformed(record, `timestamp assigner failed: ${errorMessage(error)}`, timestamp);
        return;
      }
      if (!Number.isFinite(ts)) {
        this.malformed(record, `timestamp assigner returned ${String(ts)}`, timestamp);
        return;
      }
    }
    this.output.collect(record, ts);
    const advanced = this.watermarks.observe(this.split, ts);
    if (advanced !== undefined) super.processWatermark(advanced);
  }

  /** A checkpoint starts a new interval of the malformed output's bound; there is no state to keep. */
  snapshotState(): OperatorStateSnapshot {
    this.malformedBudget.reset();
    return {};
  }

  private malformed(record: unknown, error: string, timestamp: number): void {
    // JSON.stringify gives undefined for undefined (a map may return it).
    const raw = JSON.stringify(record) ?? String(record);
    this.malformedBudget.charge(raw, error);
    this.output.collectSide(MALFORMED.id, { input: this.context.taskName, raw, error }, timestamp);
  }

  override processWatermark(watermark: number): void {
    if (watermark === MAX_WATERMARK) super.processWatermark(watermark);
  }
}
