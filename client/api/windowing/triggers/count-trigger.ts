/** Fires a window every `maxCount` elements; the trigger of count windows. */
import { ReducingStateDescriptor } from '../../state.ts';
import type { Window } from '../global-window.ts';
import { checkPositiveInteger } from '../window-assigner.ts';
import { TriggerResult, type OnMergeContext, type Trigger, type TriggerContext } from './trigger.ts';

const sum = (a: number, b: number): number => a + b;

/** Counts the elements of each window in trigger state and fires when the count reaches `maxCount`. */
export class CountTrigger implements Trigger<unknown, Window> {
  private readonly count = new ReducingStateDescriptor<number>('sluice.trigger.count', sum);

  private constructor(readonly maxCount: number) {}

  /** A trigger that fires every `maxCount` elements (resetting the count each time). */
  static of(maxCount: number): CountTrigger {
    checkPositiveInteger('the count of a CountTrigger', maxCount);
    return new CountTrigger(maxCount);
  }

  onElement(_element: unknown, _timestamp: number, _window: Window, ctx: TriggerContext): TriggerResult {
    const count = ctx.getReducingState(this.count);
    count.add(1);
    if ((count.get() ?? 0) >= this.maxCount) {
      count.clear();
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.count);
  }

  clear(_window: Window, ctx: TriggerContext): void {
    ctx.getReducingState(this.count).clear();
  }

  toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
