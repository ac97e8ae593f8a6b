/**
 * `assignTimestampsAndWatermarks` in the middle of a pipeline: stamps records and generates
 * watermarks as if its input were one split. Watermarks from upstream are dropped, except the
 * final one at end of input, as in Flink.
 */
import { MALFORMED, type TimestampAssigner, type WatermarkStrategySpec } from '../../client/runtime.ts';
import { errorMessage } from '../../common/errors.ts';
import { MAX_WATERMARK } from '../../common/time.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import { SplitWatermarks, type SplitWatermark } from './split-watermarks.ts';

/** Assigns timestamps and watermarks to a stream. */
export class TimestampsAndWatermarksOperator extends AbstractStreamOperator {
  private readonly assigner: TimestampAssigner<unknown> | undefined;
  private readonly watermarks: SplitWatermarks;
  private readonly split: SplitWatermark;

  constructor(setup: UserOperatorSetup, spec: WatermarkStrategySpec<unknown>) {
    super(setup);
    this.assigner = spec.timestampAssigner;
    this.watermarks = new SplitWatermarks(spec, this.processingTime.now());
    this.split = this.watermarks.split('');
  }

  processElement(record: unknown, timestamp: number): void {
    let ts = timestamp;
    if (this.assigner) {
      try {
        ts = this.assigner(record);
      } catch (error) {
        this.output.collectSide(MALFORMED.id, { input: this.context.taskName, raw: JSON.stringify(record), error: `timestamp assigner failed: ${errorMessage(error)}` }, timestamp);
        return;
      }
      if (!Number.isFinite(ts)) {
        this.output.collectSide(MALFORMED.id, { input: this.context.taskName, raw: JSON.stringify(record), error: `timestamp assigner returned ${String(ts)}` }, timestamp);
        return;
      }
    }
    this.output.collect(record, ts);
    const advanced = this.watermarks.observe(this.split, ts);
    if (advanced !== undefined) super.processWatermark(advanced);
  }

  override processWatermark(watermark: number): void {
    if (watermark === MAX_WATERMARK) super.processWatermark(watermark);
  }
}
