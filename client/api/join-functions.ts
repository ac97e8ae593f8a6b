/** User functions of joins between two keyed streams. */
import type { Collector, OutputTag, RichFunction } from './functions.ts';

/** What a join function sees of the pair it handles. */
export interface ProcessJoinContext {
  /** Event time of the left (first stream's) record. */
  leftTimestamp(): number;
  /** Event time of the right (second stream's) record. */
  rightTimestamp(): number;
  /** Event time of the emitted records: the larger of the two. */
  timestamp(): number;
  /** Emits to a side output. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** Called once per joined pair; may emit any number of records. */
export interface ProcessJoinFunction<A, B, O> extends RichFunction {
  processElement(left: A, right: B, ctx: ProcessJoinContext, out: Collector<O>): void;
}
