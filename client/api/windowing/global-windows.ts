/** The assigner of count windows and custom-triggered windows: every element of a key goes to one window. */
import { GLOBAL_WINDOW, type GlobalWindow } from './global-window.ts';
import { NeverTrigger } from './triggers/never-trigger.ts';
import type { Trigger } from './triggers/trigger.ts';
import type { WindowAssigner, WindowAssignerContext } from './window-assigner.ts';

const WINDOWS: readonly GlobalWindow[] = Object.freeze([GLOBAL_WINDOW]);

/**
 * Puts every element into the global window, which has no end: it fires only through a trigger
 * set on the windowed stream (its default trigger never fires), and its contents go only when a
 * trigger purges them.
 */
export class GlobalWindows implements WindowAssigner<unknown, GlobalWindow> {
  readonly isEventTime = false;

  private constructor() {}

  /** The assigner. */
  static create(): GlobalWindows {
    return new GlobalWindows();
  }

  assignWindows(_element: unknown, _timestamp: number, _context: WindowAssignerContext): readonly GlobalWindow[] {
    return WINDOWS;
  }

  defaultTrigger(): Trigger<unknown, GlobalWindow> {
    return new NeverTrigger();
  }

  toString(): string {
    return 'GlobalWindows';
  }
}
