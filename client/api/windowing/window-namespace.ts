/**
 * The state namespace of a window: window contents, trigger state and timers are stored under
 * `${start}:${end}` for a time window and `global` for the global window. Window objects that
 * assigners cache get their namespace string computed once (`rememberNamespace`).
 */
import { GLOBAL_WINDOW, type GlobalWindow, type Window } from './global-window.ts';
import { TimeWindow } from './time-window.ts';

/** The namespace of the global window. */
export const GLOBAL_WINDOW_NAMESPACE = 'global';

const remembered = new WeakMap<Window, string>();

function encode(window: Window): string {
  return (window as GlobalWindow).global === true ? GLOBAL_WINDOW_NAMESPACE : `${(window as TimeWindow).start}:${(window as TimeWindow).end}`;
}

/** The namespace string of a window. */
export function windowNamespace(window: Window): string {
  return remembered.get(window) ?? encode(window);
}

/** Computes a long-lived window's namespace once, so that `windowNamespace` returns it without allocating. */
export function rememberNamespace(window: Window): void {
  remembered.set(window, encode(window));
}

/** The window a namespace string stands for (the inverse of `windowNamespace`). */
export function windowOfNamespace(namespace: string): Window {
  if (namespace === GLOBAL_WINDOW_NAMESPACE) return GLOBAL_WINDOW;
  const colon = namespace.indexOf(':');
  if (colon < 0) throw new Error(`not a window namespace: ${JSON.stringify(namespace)}`);
  return TimeWindow.of(Number(namespace.slice(0, colon)), Number(namespace.slice(colon + 1)));
}
