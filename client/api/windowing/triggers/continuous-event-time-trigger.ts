/** Early, periodic firing in event time: results before the window ends, then the final one. */
import { ReducingStateDescriptor } from '../../state.ts';
import { windowMaxTimestamp, type Window } from '../global-window.ts';
import { checkPositiveInteger } from '../window-assigner.ts';
import { TriggerResult, type OnMergeContext, type Trigger, type TriggerContext } from './trigger.ts';

const min = (a: number, b: number): number => Math.min(a, b);

/**
 * Fires every `interval` ms of event time (at watermarks crossing multiples of the interval, from
 * the window's first element on) and when the watermark passes the window's end. It never purges:
 * each firing sees everything so far (wrap it in `PurgingTrigger` for deltas).
 */
export class ContinuousEventTimeTrigger implements Trigger<unknown, Window> {
  private readonly fireTime = new ReducingStateDescriptor<number>('sluice.trigger.fire-time', min);

  private constructor(readonly interval: number) {}

  /** A trigger firing every `interval` ms of event time. */
  static of(interval: number): ContinuousEventTimeTrigger {
    checkPositiveInteger('the interval of a ContinuousEventTimeTrigger (ms)', interval);
    return new ContinuousEventTimeTrigger(interval);
  }

  onElement(_element: unknown, timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const maxTimestamp = windowMaxTimestamp(window);
    if (maxTimestamp <= ctx.currentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTimestamp);
    const fireTime = ctx.getReducingState(this.fireTime);
    if (fireTime.get() === undefined) {
      this.registerNext(timestamp - (timestamp % this.interval), window, ctx);
    }
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (time === windowMaxTimestamp(window)) return TriggerResult.FIRE;
    const fireTime = ctx.getReducingState(this.fireTime);
    if (fireTime.get() === time) {
      fireTime.clear();
      this.registerNext(time, window, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireTime);
    const next = ctx.getReducingState(this.fireTime).get();
    if (next !== undefined) ctx.registerEventTimeTimer(next);
    const maxTimestamp = windowMaxTimestamp(window);
    if (maxTimestamp > ctx.currentWatermark()) ctx.registerEventTimeTimer(maxTimestamp);
  }

  clear(window: Window, ctx: TriggerContext): void {
    const fireTime = ctx.getReducingState(this.fireTime);
    const next = fireTime.get();
    if (next !== undefined) {
      ctx.deleteEventTimeTimer(next);
      fireTime.clear();
    }
    ctx.deleteEventTimeTimer(windowMaxTimestamp(window));
  }

  private registerNext(time: number, window: Window, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, windowMaxTimestamp(window));
    ctx.getReducingState(this.fireTime).add(next);
    ctx.registerEventTimeTimer(next);
  }

  toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }
}
