/**
 * Interval joins of two keyed streams: `left.intervalJoin(right).between(lower, upper)` pairs each
 * left record `a` with every right record `b` of the same key whose event time lies in
 * `[a.ts + lower, a.ts + upper]` (bounds inclusive unless made exclusive).
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { OutputTag } from './functions.ts';
import type { DataStream, KeyedStream } from './data-stream.ts';
import type { ProcessJoinFunction } from './join-functions.ts';
import { addTwoInputOperator } from './two-input.ts';

/** The settings of an interval join node, read by the runtime. */
export interface IntervalJoinSpec {
  /** Offset from the left record's time to the earliest matching right record's, in ms. */
  readonly lowerBound: number;
  /** Offset from the left record's time to the latest matching right record's, in ms. */
  readonly upperBound: number;
  readonly lowerBoundInclusive: boolean;
  readonly upperBoundInclusive: boolean;
  /** Side output of left records that arrived behind the watermark; dropped when unset. */
  readonly leftLateDataTag?: string;
  /** Side output of right records that arrived behind the watermark; dropped when unset. */
  readonly rightLateDataTag?: string;
}

/** Two keyed streams about to be joined; choose the interval with `between`. */
export class IntervalJoin<A, B, K extends KeyValue = KeyValue> {
  /** @internal */
  constructor(
    private readonly left: KeyedStream<A, K>,
    private readonly right: KeyedStream<B, K>,
  ) {}

  /**
   * Matches right records with `left.ts + lowerMs <= right.ts <= left.ts + upperMs`. Bounds are
   * whole milliseconds and may be negative; `lowerMs` must not exceed `upperMs`.
   */
  between(lowerMs: number, upperMs: number): IntervalJoined<A, B, K> {
    if (!Number.isSafeInteger(lowerMs) || !Number.isSafeInteger(upperMs)) {
      throw new Error(`interval join bounds must be whole milliseconds, got [${lowerMs}, ${upperMs}]`);
    }
    if (lowerMs > upperMs) throw new Error(`interval join lower bound ${lowerMs} is above its upper bound ${upperMs}`);
    return new IntervalJoined<A, B, K>(this.left, this.right, lowerMs, upperMs);
  }
}

/** An interval join with its bounds; refine them, then apply a ProcessJoinFunction. */
export class IntervalJoined<A, B, K extends KeyValue = KeyValue> {
  private lowerInclusive = true;
  private upperInclusive = true;
  private leftLateTag: string | undefined;
  private rightLateTag: string | undefined;

  /** @internal */
  constructor(
    private readonly left: KeyedStream<A, K>,
    private readonly right: KeyedStream<B, K>,
    private readonly lowerBound: number,
    private readonly upperBound: number,
  ) {}

  /** Excludes the lower bound: `right.ts > left.ts + lower`. */
  lowerBoundExclusive(): this {
    this.lowerInclusive = false;
    return this;
  }

  /** Excludes the upper bound: `right.ts < left.ts + upper`. */
  upperBoundExclusive(): this {
    this.upperInclusive = false;
    return this;
  }

  /** Sends left records that arrive behind the watermark to a side output instead of dropping them. */
  sideOutputLeftLateData(tag: OutputTag<A>): this {
    this.leftLateTag = tag.id;
    return this;
  }

  /** Sends right records that arrive behind the watermark to a side output instead of dropping them. */
  sideOutputRightLateData(tag: OutputTag<B>): this {
    this.rightLateTag = tag.id;
    return this;
  }

  /** Calls `fn` for every matching pair; emitted records carry the later of the pair's timestamps. */
  process<O>(fn: ProcessJoinFunction<A, B, O>): DataStream<O> {
    const first = this.lowerBound + (this.lowerInclusive ? 0 : 1);
    const last = this.upperBound - (this.upperInclusive ? 0 : 1);
    if (first > last) throw new Error(`the interval join interval is empty: no whole millisecond lies between ${this.lowerBound} and ${this.upperBound} with the exclusive bounds`);
    const spec: IntervalJoinSpec = {
      lowerBound: this.lowerBound,
      upperBound: this.upperBound,
      lowerBoundInclusive: this.lowerInclusive,
      upperBoundInclusive: this.upperInclusive,
      leftLateDataTag: this.leftLateTag,
      rightLateDataTag: this.rightLateTag,
    };
    return addTwoInputOperator<O>(this.left as DataStream<unknown>, this.right as DataStream<unknown>, 'intervalJoin', 'Interval Join', { fn, spec });
  }
}
