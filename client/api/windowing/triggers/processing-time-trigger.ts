/** The default trigger of processing-time assigners. */
import { windowMaxTimestamp, type Window } from '../global-window.ts';
import { TriggerResult, type OnMergeContext, type Trigger, type TriggerContext } from './trigger.ts';

/** Fires once the processing-time clock passes the window's end. */
export class ProcessingTimeTrigger implements Trigger<unknown, Window> {
  private static readonly instance = new ProcessingTimeTrigger();

  private constructor() {}

  /** The trigger (stateless, shared). */
  static create(): ProcessingTimeTrigger {
    return ProcessingTimeTrigger.instance;
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(windowMaxTimestamp(window));
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.FIRE;
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(window: Window, ctx: OnMergeContext): void {
    const maxTimestamp = windowMaxTimestamp(window);
    if (maxTimestamp > ctx.currentProcessingTime()) ctx.registerProcessingTimeTimer(maxTimestamp);
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(windowMaxTimestamp(window));
  }

  toString(): string {
    return 'ProcessingTimeTrigger';
  }
}
