/**
 * The state namespace of a window: window contents, trigger state and timers are stored under
 * `${start}:${end}` for a time window and `global` for the global window. Each window object's
 * namespace string is computed once: assigners hand out one cached object per window, so the
 * per-record path finds its namespace without allocating.
 */
import { GLOBAL_WINDOW, type GlobalWindow, TimeWindow, type Window } from '../../../client/runtime.ts';

/** The namespace of the global window. */
export const GLOBAL_WINDOW_NAMESPACE = 'global';

const remembered = new WeakMap<Window, string>();

function encode(window: Window): string {
  return (window as GlobalWindow).global === true ? GLOBAL_WINDOW_NAMESPACE : `${(window as TimeWindow).start}:${(window as TimeWindow).end}`;
}

/** The namespace string of a window, remembered for the window object. */
export function windowNamespace(window: Window): string {
  let namespace = remembered.get(window);
  if (namespace === undefined) {
    namespace = encode(window);
    remembered.set(window, namespace);
  }
  return namespace;
}

/** The window a namespace string stands for (the inverse of `windowNamespace`). */
export function windowOfNamespace(namespace: string): Window {
  if (namespace === GLOBAL_WINDOW_NAMESPACE) return GLOBAL_WINDOW;
  const colon = namespace.indexOf(':');
  if (colon < 0) throw new Error(`not a window namespace: ${JSON.stringify(namespace)}`);
  return TimeWindow.of(Number(namespace.slice(0, colon)), Number(namespace.slice(colon + 1)));
}
