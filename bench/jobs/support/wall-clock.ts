/** A wall clock in milliseconds with sub-millisecond resolution, comparable across processes. */

/**
 * `performance.timeOrigin + performance.now()`: the epoch time of this process's start plus a
 * monotonic offset. Processes on one machine share the wall clock, so readings of different
 * processes can be subtracted (to well under a millisecond), unlike `performance.now()` alone.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
