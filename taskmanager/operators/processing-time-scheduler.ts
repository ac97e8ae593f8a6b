/**
 * The wall clock as operators see it. The task implements it (task/processing-time-service.ts) by
 * delivering each callback as mail, so a timer runs between batches like any record; tests
 * substitute a manual clock.
 */

/** Cancels a scheduled callback. */
export type Cancellable = () => void;

/** The clock and wake-ups operators use. */
export interface ProcessingTimeScheduler {
  /** The current processing time in epoch ms. */
  now(): number;
  /** Runs `callback` in the task at or after `time`. */
  schedule(time: number, callback: () => void): Cancellable;
}
