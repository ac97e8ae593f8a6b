/** Early, periodic firing in processing time. */
import { ReducingStateDescriptor } from '../../state.ts';
import { windowMaxTimestamp, type Window } from '../global-window.ts';
import { checkPositiveInteger } from '../window-assigner.ts';
import { TriggerResult, type OnMergeContext, type Trigger, type TriggerContext } from './trigger.ts';

const min = (a: number, b: number): number => Math.min(a, b);

/**
 * Fires every `interval` ms of processing time (at multiples of the interval, from the window's
 * first element on), and at the window's end. It never purges.
 */
export class ContinuousProcessingTimeTrigger implements Trigger<unknown, Window> {
  private readonly fireTime = new ReducingStateDescriptor<number>('sluice.trigger.fire-time', min);

  private constructor(readonly interval: number) {}

  /** A trigger firing every `interval` ms of processing time. */
  static of(interval: number): ContinuousProcessingTimeTrigger {
    checkPositiveInteger('the interval of a ContinuousProcessingTimeTrigger (ms)', interval);
    return new ContinuousProcessingTimeTrigger(interval);
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (ctx.getReducingState(this.fireTime).get() === undefined) {
      const now = ctx.currentProcessingTime();
      this.registerNext(now - (now % this.interval), window, ctx);
    }
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    const fireTime = ctx.getReducingState(this.fireTime);
    if (fireTime.get() === time) {
      fireTime.clear();
      this.registerNext(time, window, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireTime);
    const next = ctx.getReducingState(this.fireTime).get();
    if (next !== undefined) ctx.registerProcessingTimeTimer(next);
  }

  clear(_window: Window, ctx: TriggerContext): void {
    const fireTime = ctx.getReducingState(this.fireTime);
    const next = fireTime.get();
    if (next !== undefined) {
      ctx.deleteProcessingTimeTimer(next);
      fireTime.clear();
    }
  }

  private registerNext(time: number, window: Window, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, windowMaxTimestamp(window));
    ctx.getReducingState(this.fireTime).add(next);
    ctx.registerProcessingTimeTimer(next);
  }

  toString(): string {
    return `ContinuousProcessingTimeTrigger(${this.interval})`;
  }
}
