/**
 * Checks, without timers, whether a promise has settled: pending callbacks run before the next
 * macrotask, so a test can tell "still waiting" from "resolved" deterministically.
 */

/** Lets every pending promise callback run (a macrotask comes after all microtasks). */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether a promise has settled once pending callbacks ran. */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await drainMicrotasks();
  return settled;
}

