/**
 * How a stream gets event time: a timestamp per record and watermarks that say how far event time
 * has progressed. Sources apply a strategy per split, so a subtask reading many files holds its
 * watermark at the slowest file that has not ended.
 */

/** Extracts a record's event time in epoch milliseconds. */
export type TimestampAssigner<T> = (record: T) => number;

/** The resolved settings of a strategy, read by the runtime. */
export interface WatermarkStrategySpec<T> {
  readonly timestampAssigner: TimestampAssigner<T> | undefined;
  /** Watermarks trail the highest timestamp by this bound (plus 1 ms); undefined: no watermarks. */
  readonly outOfOrdernessMs: number | undefined;
  /** A split silent for this long (processing time) stops holding the watermark back. */
  readonly idlenessMs: number | undefined;
}

/** A watermark strategy; build one with the static factories, then refine it. */
export class WatermarkStrategy<T> {
  private constructor(readonly spec: WatermarkStrategySpec<T>) {}

  /**
   * Watermarks that trail the highest timestamp seen by `maxOutOfOrdernessMs`: a record at most
   * that much older than the newest one is never late.
   */
  static forBoundedOutOfOrderness<T>(maxOutOfOrdernessMs: number): WatermarkStrategy<T> {
    if (!Number.isFinite(maxOutOfOrdernessMs) || maxOutOfOrdernessMs < 0) {
      throw new Error(`the out-of-orderness bound must be a non-negative number of ms, got ${maxOutOfOrdernessMs}`);
    }
    return new WatermarkStrategy<T>({ timestampAssigner: undefined, outOfOrdernessMs: maxOutOfOrdernessMs, idlenessMs: undefined });
  }

  /** Watermarks for timestamps that never decrease within a split. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return WatermarkStrategy.forBoundedOutOfOrderness<T>(0);
  }

  /** Timestamps (if an assigner is added) but no watermarks; event time then only ends with the input. */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>({ timestampAssigner: undefined, outOfOrdernessMs: undefined, idlenessMs: undefined });
  }

  /** Sets how a record's timestamp is read. */
  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>({ ...this.spec, timestampAssigner: assigner });
  }

  /** Marks a split idle after `ms` without records, so that it does not stall the watermark. */
  withIdleness(ms: number): WatermarkStrategy<T> {
    if (!Number.isFinite(ms) || ms <= 0) throw new Error(`idleness must be a positive number of ms, got ${ms}`);
    return new WatermarkStrategy<T>({ ...this.spec, idlenessMs: ms });
  }

  /**
   * Throws when the strategy cannot work: watermarks need timestamps, from an assigner or, when
   * `sourceTimestamps`, from the source itself.
   */
  validate(sourceTimestamps = false): void {
    if (this.spec.outOfOrdernessMs !== undefined && this.spec.timestampAssigner === undefined && !sourceTimestamps) {
      throw new Error('a watermark strategy with watermarks needs withTimestampAssigner(...): sources carry no timestamps of their own');
    }
  }
}
