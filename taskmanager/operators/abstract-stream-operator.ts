/**
 * The base of operators that run user functions: it opens and closes them, tracks the watermark,
 * and for operators on a keyed stream sets the current key per record and runs the keyed state
 * backend and timers. Subclasses implement `processElement` and, when they use timers,
 * `onEventTime` and `onProcessingTime`.
 */
import type { QueryableStates } from '../state/queryable-states.ts';
import type { KeySelector, RichFunction, RuntimeContext } from '../../client/runtime.ts';
import { MIN_WATERMARK } from '../../common/time.ts';
import type { InternalTimer, InternalTimerService, KeyedStateBackend, KeyedStateSource } from '../state/keyed-state-backend.ts';
import type { Cancellable, ProcessingTimeScheduler } from './processing-time-scheduler.ts';
import type { Output, StreamOperator } from './stream-operator.ts';

/** The keyed parts of an operator on a keyed stream. */
export interface KeyedSetup {
  readonly backend: KeyedStateBackend;
  readonly timers: InternalTimerService;
  /** The key selector of each logical input (undefined for a non-keyed input, such as a broadcast one). */
  readonly keySelectors: readonly (KeySelector<unknown> | undefined)[];
  /** Keyed state to restore on open (from a checkpoint); undefined for a fresh start. */
  readonly restore?: readonly KeyedStateSource[];
}

/** What operators with user functions are built with. */
export interface UserOperatorSetup {
  readonly context: RuntimeContext;
  readonly output: Output;
  readonly processingTime: ProcessingTimeScheduler;
  readonly keyed: KeyedSetup | undefined;
  /**
   * Runs an action in the task's thread of control, between batches: how asynchronous work (an
   * async I/O result, say) gets back to the operator.
   */
  readonly enqueue: (mail: () => void) => void;
  /** Where the operator registers the states it declares queryable; absent in tests without a task. */
  readonly queryable?: QueryableStates;
}

/** Base class of operators with user functions, state and timers. */
export abstract class AbstractStreamOperator implements StreamOperator {
  protected readonly output: Output;
  protected readonly context: RuntimeContext;
  protected readonly processingTime: ProcessingTimeScheduler;
  protected readonly keyed: KeyedSetup | undefined;
  protected readonly enqueue: (mail: () => void) => void;
  /** The latest watermark this operator processed. */
  protected currentWatermark = MIN_WATERMARK;
  private armedProcessingTime = Number.POSITIVE_INFINITY;
  private cancelWakeUp: Cancellable | undefined;
  private readonly firedEventTime = (timer: InternalTimer): void => this.onEventTime(timer);
  private readonly firedProcessingTime = (timer: InternalTimer): void => this.onProcessingTime(timer);

  constructor(
    setup: UserOperatorSetup,
    private readonly functions: readonly unknown[] = [],
  ) {
    this.output = setup.output;
    this.context = setup.context;
    this.processingTime = setup.processingTime;
    this.keyed = setup.keyed;
    this.enqueue = setup.enqueue;
  }

  async open(): Promise<void> {
    const keyed = this.keyed;
    if (keyed) {
      await keyed.backend.open();
      if (keyed.restore) {
        await keyed.backend.restore(keyed.restore);
        await keyed.timers.restore();
        this.armProcessingTimers();
      } else {
        await keyed.timers.open();
      }
    }
    for (const fn of this.functions) await (fn as RichFunction).open?.(this.context);
  }

  abstract processElement(record: unknown, timestamp: number, inputIndex: number): void;

  processWatermark(watermark: number): void {
    if (watermark <= this.currentWatermark) return;
    this.currentWatermark = watermark;
    if (this.keyed) this.keyed.timers.advanceWatermark(watermark, this.firedEventTime);
    this.onWatermark(watermark);
    this.output.emitWatermark(watermark);
  }

  flush(): Promise<void> | undefined {
    const backend = this.keyed?.backend;
    return backend?.needsFlush ? backend.flushBehind() : undefined;
  }

  async finish(): Promise<void> {
    await this.keyed?.backend.flush();
  }

  async close(): Promise<void> {
    this.cancelWakeUp?.();
    for (const fn of this.functions) await (fn as RichFunction).close?.();
    await this.keyed?.backend.close();
  }

  /** Sets the backend's current key from a record of `inputIndex`. */
  protected setKeyContext(record: unknown, inputIndex: number): void {
    const keyed = this.keyed!;
    const selector = keyed.keySelectors[inputIndex];
    if (!selector) throw new Error(`input ${inputIndex} of ${this.context.taskName} is not keyed`);
    keyed.backend.setCurrentKey(selector(record));
  }

  /** Called after event-time timers fired for a new watermark, before it is passed on. */
  protected onWatermark(_watermark: number): void {}

  /** An event-time timer fired; the current key is the timer's. */
  protected onEventTime(_timer: InternalTimer): void {}

  /** A processing-time timer fired; the current key is the timer's. */
  protected onProcessingTime(_timer: InternalTimer): void {}

  /** The keyed timer service; throws on a non-keyed stream. */
  protected get timers(): InternalTimerService {
    if (!this.keyed) throw new Error(`timers are only available on a keyed stream (${this.context.taskName})`);
    return this.keyed.timers;
  }

  /** Makes sure a wake-up is scheduled for the earliest processing-time timer. Call after registering one. */
  protected armProcessingTimers(): void {
    const next = this.keyed?.timers.nextProcessingTime();
    if (next === undefined || next >= this.armedProcessingTime) return;
    this.cancelWakeUp?.();
    this.armedProcessingTime = next;
    this.cancelWakeUp = this.processingTime.schedule(next, () => {
      this.armedProcessingTime = Number.POSITIVE_INFINITY;
      this.cancelWakeUp = undefined;
      this.keyed!.timers.fireProcessingTimers(this.processingTime.now(), this.firedProcessingTime);
      this.armProcessingTimers();
    });
  }
}
