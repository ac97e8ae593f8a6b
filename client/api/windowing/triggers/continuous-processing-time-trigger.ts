/** Early, periodic firing in processing time. */
import type { Window } from '../global-window.ts';
import { checkPositiveInteger } from '../window-assigner.ts';
import { ContinuousTrigger } from './continuous-trigger.ts';
import { TriggerResult, type TriggerContext } from './trigger.ts';

/**
 * Fires every `interval` ms of processing time (at multiples of the interval, from the window's
 * first element on), and at the window's end. It never purges.
 */
export class ContinuousProcessingTimeTrigger extends ContinuousTrigger {
  /** A trigger firing every `interval` ms of processing time. */
  static of(interval: number): ContinuousProcessingTimeTrigger {
    checkPositiveInteger('the interval of a ContinuousProcessingTimeTrigger (ms)', interval);
    return new ContinuousProcessingTimeTrigger(interval);
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    this.startPeriod(ctx.currentProcessingTime(), window, ctx);
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    return this.firePeriod(time, window, ctx);
  }

  protected registerTimer(ctx: TriggerContext, time: number): void {
    ctx.registerProcessingTimeTimer(time);
  }

  protected deleteTimer(ctx: TriggerContext, time: number): void {
    ctx.deleteProcessingTimeTimer(time);
  }

  override toString(): string {
    return `ContinuousProcessingTimeTrigger(${this.interval})`;
  }
}
