/** The single window of `GlobalWindows`: it holds every element of a key and never ends by time. */
import { MAX_WATERMARK } from '../../../common/time.ts';
import type { TimeWindow } from './time-window.ts';

/** The one global window (plain data, like time windows). */
export interface GlobalWindow {
  readonly global: true;
}

/** The global window instance. */
export const GLOBAL_WINDOW: GlobalWindow = Object.freeze({ global: true });

/** Any window the runtime can hold: a time window or the global window. */
export type Window = TimeWindow | GlobalWindow;

/**
 * The largest timestamp of a window (`end - 1` for a time window, +Infinity for the global
 * window). Results are emitted with it, and event-time triggers fire when the watermark passes it.
 */
export function windowMaxTimestamp(window: Window): number {
  return (window as GlobalWindow).global === true ? MAX_WATERMARK : (window as TimeWindow).end - 1;
}
