/** The default trigger of event-time assigners. */
import { windowMaxTimestamp, type Window } from '../global-window.ts';
import { TriggerResult, type OnMergeContext, type Trigger, type TriggerContext } from './trigger.ts';

/**
 * Fires once the watermark passes the window's end. An element added after that (allowed
 * lateness) fires the window again at once, with the updated contents.
 */
export class EventTimeTrigger implements Trigger<unknown, Window> {
  private static readonly instance = new EventTimeTrigger();

  private constructor() {}

  /** The trigger (it is stateless, so one instance serves every window). */
  static create(): EventTimeTrigger {
    return EventTimeTrigger.instance;
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const maxTimestamp = windowMaxTimestamp(window);
    if (maxTimestamp <= ctx.currentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTimestamp);
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: Window): TriggerResult {
    return time === windowMaxTimestamp(window) ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(window: Window, ctx: OnMergeContext): void {
    const maxTimestamp = windowMaxTimestamp(window);
    if (maxTimestamp > ctx.currentWatermark()) ctx.registerEventTimeTimer(maxTimestamp);
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(windowMaxTimestamp(window));
  }

  toString(): string {
    return 'EventTimeTrigger';
  }
}
