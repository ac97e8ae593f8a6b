/** Wraps a trigger so that every firing also purges the window. */
import type { Window } from '../global-window.ts';
import { TriggerResult, type OnMergeContext, type Trigger, type TriggerContext } from './trigger.ts';

function purging(result: TriggerResult): TriggerResult {
  return result === 'FIRE' ? TriggerResult.FIRE_AND_PURGE : result;
}

/** Turns FIRE of the nested trigger into FIRE_AND_PURGE; everything else is delegated. */
export class PurgingTrigger<T, W extends Window> implements Trigger<T, W> {
  private constructor(readonly nested: Trigger<T, W>) {}

  /** A purging version of `nested`. */
  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    return new PurgingTrigger(nested);
  }

  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onElement(element, timestamp, window, ctx));
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onEventTime(time, window, ctx));
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onProcessingTime(time, window, ctx));
  }

  canMerge(): boolean {
    return this.nested.canMerge?.() === true;
  }

  onMerge(window: W, ctx: OnMergeContext): void {
    this.nested.onMerge?.(window, ctx);
  }

  clear(window: W, ctx: TriggerContext): void {
    this.nested.clear(window, ctx);
  }

  toString(): string {
    return `PurgingTrigger(${String(this.nested)})`;
  }
}
