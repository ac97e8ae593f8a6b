/** The wait before a retry of an async request. */
import type { AsyncRetrySpec } from '../../../client/runtime.ts';

/**
 * Exponential backoff after the `failedAttempt`-th call failed (1-based):
 * `min(maxBackoffMs, initialBackoffMs * multiplier^(failedAttempt - 1))`, shortened by up to
 * `jitter` of itself at random.
 */
export function retryBackoffMs(retry: AsyncRetrySpec, failedAttempt: number, random: () => number = Math.random): number {
  const base = Math.min(retry.maxBackoffMs, retry.initialBackoffMs * retry.multiplier ** (failedAttempt - 1));
  return retry.jitter > 0 ? base * (1 - retry.jitter * random()) : base;
}
