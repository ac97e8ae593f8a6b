/** Early, periodic firing in event time: results before the window ends, then the final one. */
import { windowMaxTimestamp, type Window } from '../global-window.ts';
import { checkPositiveInteger } from '../window-assigner.ts';
import { ContinuousTrigger } from './continuous-trigger.ts';
import { TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.ts';

/**
 * Fires every `interval` ms of event time (at watermarks crossing multiples of the interval, from
 * the window's first element on) and when the watermark passes the window's end. It never purges:
 * each firing sees everything so far (wrap it in `PurgingTrigger` for deltas).
 */
export class ContinuousEventTimeTrigger extends ContinuousTrigger {
  /** A trigger firing every `interval` ms of event time. */
  static of(interval: number): ContinuousEventTimeTrigger {
    checkPositiveInteger('the interval of a ContinuousEventTimeTrigger (ms)', interval);
    return new ContinuousEventTimeTrigger(interval);
  }

  onElement(_element: unknown, timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const maxTimestamp = windowMaxTimestamp(window);
    if (maxTimestamp <= ctx.currentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTimestamp);
    this.startPeriod(timestamp, window, ctx);
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (time === windowMaxTimestamp(window)) return TriggerResult.FIRE;
    return this.firePeriod(time, window, ctx);
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  override onMerge(window: Window, ctx: OnMergeContext): void {
    super.onMerge(window, ctx);
    const maxTimestamp = windowMaxTimestamp(window);
    if (maxTimestamp > ctx.currentWatermark()) ctx.registerEventTimeTimer(maxTimestamp);
  }

  override clear(window: Window, ctx: TriggerContext): void {
    super.clear(window, ctx);
    ctx.deleteEventTimeTimer(windowMaxTimestamp(window));
  }

  protected registerTimer(ctx: TriggerContext, time: number): void {
    ctx.registerEventTimeTimer(time);
  }

  protected deleteTimer(ctx: TriggerContext, time: number): void {
    ctx.deleteEventTimeTimer(time);
  }

  override toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }
}
