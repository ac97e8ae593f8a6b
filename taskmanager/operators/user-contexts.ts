/**
 * The context objects handed to process functions. One instance per operator is reused for every
 * call (the per-record path allocates nothing); the operator updates its fields before each call.
 */
import type { OnTimerContext, OutputTag, TimeDomain, TimerService } from '../../client/runtime.ts';
import { NO_TIMESTAMP } from '../../common/time.ts';
import { VOID_NAMESPACE, type InternalTimer, type InternalTimerService, type KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { Output } from './stream-operator.ts';
import type { TimestampedCollector } from './timestamped-collector.ts';

/** User-facing timers of the current key, in the void namespace. */
export class UserTimerService implements TimerService {
  constructor(
    private readonly timers: InternalTimerService,
    private readonly now: () => number,
    private readonly armProcessingTimers: () => void,
  ) {}

  currentProcessingTime(): number {
    return this.now();
  }

  currentWatermark(): number {
    return this.timers.currentWatermark;
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(VOID_NAMESPACE, time);
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(VOID_NAMESPACE, time);
    this.armProcessingTimers();
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(VOID_NAMESPACE, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(VOID_NAMESPACE, time);
  }
}

/** The context of process functions, keyed or not, for elements and timers. */
export class ProcessContextImpl<K = unknown> implements OnTimerContext<K> {
  /** Timestamp of the record or timer being handled. */
  currentTimestamp = NO_TIMESTAMP;
  /** The clock of the timer being handled. */
  domain: TimeDomain = 'EVENT_TIME';

  constructor(
    private readonly out: Output,
    private readonly backend: KeyedStateBackend | undefined,
    private readonly userTimers: TimerService | undefined,
    private readonly operatorName: string,
    private readonly watermark: () => number,
  ) {}

  timestamp(): number | undefined {
    return this.currentTimestamp === NO_TIMESTAMP ? undefined : this.currentTimestamp;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag.id, value, this.currentTimestamp);
  }

  currentWatermark(): number {
    return this.watermark();
  }

  getCurrentKey(): K {
    return currentKeyOf<K>(this.backend, this.operatorName);
  }

  timerService(): TimerService {
    return timersOf(this.userTimers, this.operatorName);
  }

  timeDomain(): TimeDomain {
    return this.domain;
  }
}

/** A function that may have timers. */
interface WithOnTimer {
  onTimer?(timestamp: number, ctx: never, out: never): void;
}

/**
 * Calls a user function's `onTimer`: what it emits carries the timer's time in event time, and no
 * timestamp in processing time, as in Flink.
 */
export function fireUserTimer(fn: WithOnTimer, timer: InternalTimer, domain: TimeDomain, ctx: { currentTimestamp: number; domain: TimeDomain }, collector: TimestampedCollector): void {
  if (!fn.onTimer) return;
  const timestamp = domain === 'EVENT_TIME' ? timer.timestamp : NO_TIMESTAMP;
  collector.timestamp = timestamp;
  ctx.currentTimestamp = timestamp;
  ctx.domain = domain;
  fn.onTimer(timer.timestamp, ctx as never, collector as never);
}

/** The current key of a keyed operator; throws a clear error on a non-keyed stream. */
export function currentKeyOf<K>(backend: KeyedStateBackend | undefined, operatorName: string): K {
  if (!backend) throw new Error(`${operatorName}: there is no current key on a non-keyed stream`);
  return backend.currentKey as K;
}

/** The user timers of a keyed operator; throws a clear error on a non-keyed stream. */
export function timersOf(timers: TimerService | undefined, operatorName: string): TimerService {
  if (!timers) throw new Error(`${operatorName}: timers are only available on a keyed stream; apply keyBy first`);
  return timers;
}
