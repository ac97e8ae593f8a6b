/** The contract between a job master and the policy that decides whether a failed job restarts. */

/** Decides whether and when a failed job restarts. One instance per job; it keeps its own history. */
export interface RestartStrategy {
  /**
   * Called when the job fails at `now` (ms). Returns the delay in ms before the restart, or
   * undefined when the strategy gives up (the job then ends FAILED).
   */
  onFailure(now: number): number | undefined;
  /** Called when the job has been running fine; strategies that back off may reset. */
  onRunning?(now: number): void;
  /** Restarts so far. */
  readonly restarts: number;
  /** A one-line description for logs and status, e.g. "fixed-delay(3 attempts, 1000 ms)". */
  describe(): string;
}
