/**
 * The interval join of two keyed streams, in event time. Each input's records are buffered in
 * keyed map state (event time -> records of that time); a record is joined with the buffered
 * records of the other input whose time falls in its interval, then buffered itself.
 *
 * Retention: a record stays buffered until the watermark guarantees that no record of the other
 * input that could still match it can arrive, a record being late when its time is below the
 * watermark. For a left record `a` that is when the watermark passes `a + upper` (reaches it, for an
 * exclusive bound); for a right record `b`, `b - lower`. A cleanup timer per input and time
 * removes it then. A non-late record therefore always meets every non-late record it matches.
 */
import { type IntervalJoinSpec, MapStateDescriptor, type ProcessJoinFunction } from '../../client/runtime.ts';
import { NO_TIMESTAMP } from '../../common/time.ts';
import type { InternalMapState, InternalTimer } from '../state/keyed-state-backend.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import { ProcessJoinContextImpl } from './interval-join-context.ts';
import { TimestampedCollector } from './timestamped-collector.ts';

/** Keyed state of the buffered left records, by event time. */
export const LEFT_BUFFER = new MapStateDescriptor<number, unknown[]>('interval-join.left-buffer');
/** Keyed state of the buffered right records, by event time. */
export const RIGHT_BUFFER = new MapStateDescriptor<number, unknown[]>('interval-join.right-buffer');

/** Timer namespaces of the cleanup timers of each input. */
const LEFT_CLEANUP = 'left';
const RIGHT_CLEANUP = 'right';

/** See the module comment. */
export class IntervalJoinOperator extends AbstractStreamOperator {
  private readonly collector: TimestampedCollector;
  private readonly ctx: ProcessJoinContextImpl;
  /** Cleanup time of a left record minus its time. */
  private readonly leftRetention: number;
  /** Cleanup time of a right record minus its time. */
  private readonly rightRetention: number;
  private leftBuffer: InternalMapState<number, unknown[]> | undefined;
  private rightBuffer: InternalMapState<number, unknown[]> | undefined;

  constructor(
    setup: UserOperatorSetup,
    private readonly fn: ProcessJoinFunction<unknown, unknown, unknown>,
    private readonly spec: IntervalJoinSpec,
  ) {
    super(setup, [fn]);
    if (!setup.keyed) throw new Error(`${this.context.taskName}: an interval join needs two keyed inputs`);
    this.collector = new TimestampedCollector(this.output);
    this.ctx = new ProcessJoinContextImpl(this.output);
    this.leftRetention = spec.upperBound + (spec.upperBoundInclusive ? 1 : 0);
    this.rightRetention = -spec.lowerBound + (spec.lowerBoundInclusive ? 1 : 0);
  }

  override async open(): Promise<void> {
    await super.open();
    const backend = this.keyed!.backend;
    this.leftBuffer = backend.getInternalMapState(LEFT_BUFFER);
    this.rightBuffer = backend.getInternalMapState(RIGHT_BUFFER);
  }

  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    if (inputIndex !== 0 && inputIndex !== 1) throw new Error(`${this.context.taskName}: an interval join has no input ${inputIndex}`);
    if (timestamp === NO_TIMESTAMP || Number.isNaN(timestamp)) {
      throw new Error(`${this.context.taskName}: interval join records need event-time timestamps; assign them with a WatermarkStrategy`);
    }
    const isLeft = inputIndex === 0;
    if (timestamp < this.currentWatermark) {
      const tag = isLeft ? this.spec.leftLateDataTag : this.spec.rightLateDataTag;
      if (tag !== undefined) this.output.collectSide(tag, record, timestamp);
      return;
    }
    this.setKeyContext(record, inputIndex);
    const [own, other] = isLeft ? [this.leftBuffer!, this.rightBuffer!] : [this.rightBuffer!, this.leftBuffer!];
    for (const [otherTimestamp, values] of other.entries()) {
      const left = isLeft ? timestamp : otherTimestamp;
      const right = isLeft ? otherTimestamp : timestamp;
      if (!this.inInterval(right - left)) continue;
      for (const value of values) this.emit(isLeft ? record : value, isLeft ? value : record, left, right);
    }
    const cleanupTime = timestamp + (isLeft ? this.leftRetention : this.rightRetention);
    if (cleanupTime <= this.currentWatermark) return;
    const bucket = own.get(timestamp);
    if (bucket) bucket.push(record);
    own.put(timestamp, bucket ?? [record]);
    this.timers.registerEventTimeTimer(isLeft ? LEFT_CLEANUP : RIGHT_CLEANUP, cleanupTime);
  }

  protected override onEventTime(timer: InternalTimer): void {
    const isLeft = timer.namespace === LEFT_CLEANUP;
    const buffer = isLeft ? this.leftBuffer! : this.rightBuffer!;
    const retention = isLeft ? this.leftRetention : this.rightRetention;
    for (const time of buffer.keys()) if (time + retention <= timer.timestamp) buffer.remove(time);
  }

  /** Whether a right record `offset` ms after a left one matches it. */
  private inInterval(offset: number): boolean {
    const { lowerBound, upperBound, lowerBoundInclusive, upperBoundInclusive } = this.spec;
    const aboveLower = lowerBoundInclusive ? offset >= lowerBound : offset > lowerBound;
    const belowUpper = upperBoundInclusive ? offset <= upperBound : offset < upperBound;
    return aboveLower && belowUpper;
  }

  private emit(left: unknown, right: unknown, leftTimestamp: number, rightTimestamp: number): void {
    this.ctx.left = leftTimestamp;
    this.ctx.right = rightTimestamp;
    this.collector.timestamp = Math.max(leftTimestamp, rightTimestamp);
    this.fn.processElement(left, right, this.ctx, this.collector);
  }
}
