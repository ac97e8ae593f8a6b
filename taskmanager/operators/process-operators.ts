/** Operators that run process functions: `process` on a stream and on a keyed stream. */
import type { KeyedProcessFunction, ProcessFunction, RichFunction } from '../../client/runtime.ts';
import type { InternalTimer } from '../state/keyed-state-backend.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import { TimestampedCollector } from './timestamped-collector.ts';
import { fireUserTimer, ProcessContextImpl, UserTimerService } from './user-contexts.ts';

/** Runs a ProcessFunction on a non-keyed stream. */
export class ProcessOperator extends AbstractStreamOperator {
  private readonly collector: TimestampedCollector;
  private readonly ctx: ProcessContextImpl;

  constructor(
    setup: UserOperatorSetup,
    private readonly fn: ProcessFunction<unknown, unknown>,
  ) {
    super(setup, [fn]);
    this.collector = new TimestampedCollector(this.output);
    this.ctx = new ProcessContextImpl(this.output, undefined, undefined, this.context.taskName, () => this.currentWatermark);
  }

  processElement(record: unknown, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.ctx.currentTimestamp = timestamp;
    this.fn.processElement(record, this.ctx, this.collector);
  }
}

/**
 * Base of operators that run a keyed user function with timers: it owns the function, the
 * timestamped collector and the reused context, sets the key per record, and fires `onTimer`.
 */
export abstract class KeyedUserFunctionOperator<F extends RichFunction & { onTimer?(timestamp: number, ctx: never, out: never): void }> extends AbstractStreamOperator {
  protected readonly collector: TimestampedCollector;
  protected readonly ctx: ProcessContextImpl;

  constructor(
    setup: UserOperatorSetup,
    protected readonly fn: F,
    what: string,
  ) {
    super(setup, [fn]);
    this.collector = new TimestampedCollector(this.output);
    const keyed = setup.keyed;
    if (!keyed) throw new Error(`${this.context.taskName}: ${what}`);
    const timers = new UserTimerService(keyed.timers, () => this.processingTime.now(), () => this.armProcessingTimers());
    this.ctx = new ProcessContextImpl(this.output, keyed.backend, timers, this.context.taskName, () => this.currentWatermark);
  }

  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    this.setKeyContext(record, inputIndex);
    this.collector.timestamp = timestamp;
    this.ctx.currentTimestamp = timestamp;
    this.invoke(record, inputIndex);
  }

  /** Hands one record to the user function; the key, timestamp and context are set. */
  protected abstract invoke(record: unknown, inputIndex: number): void;

  protected override onEventTime(timer: InternalTimer): void {
    fireUserTimer(this.fn, timer, 'EVENT_TIME', this.ctx, this.collector);
  }

  protected override onProcessingTime(timer: InternalTimer): void {
    fireUserTimer(this.fn, timer, 'PROCESSING_TIME', this.ctx, this.collector);
  }
}

/** Runs a KeyedProcessFunction: keyed state, event- and processing-time timers, side outputs. */
export class KeyedProcessOperator extends KeyedUserFunctionOperator<KeyedProcessFunction<unknown, unknown, unknown>> {
  constructor(setup: UserOperatorSetup, fn: KeyedProcessFunction<unknown, unknown, unknown>) {
    super(setup, fn, 'a KeyedProcessFunction needs a keyed stream');
  }

  protected invoke(record: unknown): void {
    this.fn.processElement(record, this.ctx, this.collector);
  }
}
