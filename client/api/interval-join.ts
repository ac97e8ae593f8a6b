/**
 * The implementations of IntervalJoin and IntervalJoined (declared in streams.ts): interval joins
 * of two keyed streams, `left.intervalJoin(right).between(lower, upper)`, as one two-input node.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { OutputTag } from './functions.ts';
import type { ProcessJoinFunction } from './join-functions.ts';
import type { StreamInput } from './stream-input.ts';
import type { DataStream, IntervalJoin, IntervalJoined } from './streams.ts';
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

/** Two keyed streams about to be joined: see IntervalJoin. */
export class IntervalJoinImpl<A, B, K extends KeyValue = KeyValue> implements IntervalJoin<A, B, K> {
  /** `left` and `right` are keyed alike; `left` becomes input 0 of the join, `right` input 1. */
  constructor(
    private readonly left: StreamInput<A>,
    private readonly right: StreamInput<B>,
  ) {}

  between(lowerMs: number, upperMs: number): IntervalJoined<A, B, K> {
    if (!Number.isSafeInteger(lowerMs) || !Number.isSafeInteger(upperMs)) {
      throw new Error(`interval join bounds must be whole milliseconds, got [${lowerMs}, ${upperMs}]`);
    }
    if (lowerMs > upperMs) throw new Error(`interval join lower bound ${lowerMs} is above its upper bound ${upperMs}`);
    return new IntervalJoinedImpl<A, B, K>(this.left, this.right, lowerMs, upperMs);
  }
}

/** An interval join with its bounds: see IntervalJoined. */
export class IntervalJoinedImpl<A, B, K extends KeyValue = KeyValue> implements IntervalJoined<A, B, K> {
  private lowerInclusive = true;
  private upperInclusive = true;
  private leftLateTag: string | undefined;
  private rightLateTag: string | undefined;

  /** The joined streams and the bounds `between` checked. */
  constructor(
    private readonly left: StreamInput<A>,
    private readonly right: StreamInput<B>,
    private readonly lowerBound: number,
    private readonly upperBound: number,
  ) {}

  lowerBoundExclusive(): this {
    this.lowerInclusive = false;
    return this;
  }

  upperBoundExclusive(): this {
    this.upperInclusive = false;
    return this;
  }

  sideOutputLeftLateData(tag: OutputTag<A>): this {
    this.leftLateTag = tag.id;
    return this;
  }

  sideOutputRightLateData(tag: OutputTag<B>): this {
    this.rightLateTag = tag.id;
    return this;
  }

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
    return addTwoInputOperator<O>(this.left, this.right, 'intervalJoin', 'Interval Join', { fn, spec });
  }
}
