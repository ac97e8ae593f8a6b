/**
 * What the two continuous (early-firing) triggers share: the next periodic firing time, kept in
 * reducing state per window, its timer in the trigger's time domain, and its merge and cleanup.
 * Subclasses say which time domain the periodic timer lives in.
 */
import { ReducingStateDescriptor } from '../../state.ts';
import { windowMaxTimestamp, type Window } from '../global-window.ts';
import { TriggerResult, type OnMergeContext, type Trigger, type TriggerContext } from './trigger.ts';

const min = (a: number, b: number): number => Math.min(a, b);

/** See the module comment. */
export abstract class ContinuousTrigger implements Trigger<unknown, Window> {
  private readonly fireTime = new ReducingStateDescriptor<number>('sluice.trigger.fire-time', min);

  protected constructor(readonly interval: number) {}

  abstract onElement(element: unknown, timestamp: number, window: Window, ctx: TriggerContext): TriggerResult;
  abstract onEventTime(time: number, window: Window, ctx: TriggerContext): TriggerResult;
  abstract onProcessingTime(time: number, window: Window, ctx: TriggerContext): TriggerResult;

  /** Registers a timer of the periodic firing's time domain. */
  protected abstract registerTimer(ctx: TriggerContext, time: number): void;
  /** Deletes a timer of the periodic firing's time domain. */
  protected abstract deleteTimer(ctx: TriggerContext, time: number): void;

  canMerge(): boolean {
    return true;
  }

  onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireTime);
    const next = ctx.getReducingState(this.fireTime).get();
    if (next !== undefined) this.registerTimer(ctx, next);
  }

  clear(_window: Window, ctx: TriggerContext): void {
    const fireTime = ctx.getReducingState(this.fireTime);
    const next = fireTime.get();
    if (next !== undefined) {
      this.deleteTimer(ctx, next);
      fireTime.clear();
    }
  }

  /** Schedules the first periodic firing after `time` (aligned to the interval) unless one is scheduled. */
  protected startPeriod(time: number, window: Window, ctx: TriggerContext): void {
    if (ctx.getReducingState(this.fireTime).get() === undefined) this.registerNext(time - (time % this.interval), window, ctx);
  }

  /** Fires when `time` is the scheduled periodic firing, and schedules the next one. */
  protected firePeriod(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    const fireTime = ctx.getReducingState(this.fireTime);
    if (fireTime.get() !== time) return TriggerResult.CONTINUE;
    fireTime.clear();
    this.registerNext(time, window, ctx);
    return TriggerResult.FIRE;
  }

  private registerNext(time: number, window: Window, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, windowMaxTimestamp(window));
    ctx.getReducingState(this.fireTime).add(next);
    this.registerTimer(ctx, next);
  }
}
