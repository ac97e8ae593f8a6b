/** The default trigger of `GlobalWindows`: the global window never fires unless another trigger is set. */
import type { Window } from '../global-window.ts';
import { TriggerResult, type Trigger } from './trigger.ts';

/** Never fires. */
export class NeverTrigger implements Trigger<unknown, Window> {
  onElement(): TriggerResult {
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

  onMerge(): void {}

  clear(): void {}

  toString(): string {
    return 'NeverTrigger';
  }
}
