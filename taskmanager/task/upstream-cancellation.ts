/**
 * How a task tells its consumers why its output ended early, and how a consumer recognises that
 * its producer was cancelled. A cancel, stop or rescale cancels every task of a job at once, so a
 * consumer often learns of it from a producer before its own cancel arrives: that is no error of
 * the consumer, and it must not log one.
 */
import type { ExecutionState } from '../../common/job-state.ts';

const CANCELED_SUFFIX = ' ended CANCELED';

/** The reason a task's output partitions fail their readers with when the task ends in `state`. */
export function endedReason(taskName: string, state: ExecutionState): string {
  return `task ${taskName} ended ${state}`;
}

/**
 * Whether a failure reports that a producer was cancelled. A remote channel's failure carries the
 * producer's reason inside the gRPC error text, so the reason is looked for, not matched whole.
 */
export function isUpstreamCancellation(failure: string): boolean {
  return failure.includes(CANCELED_SUFFIX);
}
