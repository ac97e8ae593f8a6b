/** Errors of async requests. */
import { errorMessage } from '../../../common/errors.ts';

/** A request took longer than `timeoutMs`; also the abort reason of its running call. */
export class AsyncTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`async request timed out after ${timeoutMs} ms`);
    this.name = 'AsyncTimeoutError';
  }
}

/** A request failed for good with `onFailure: 'fail'`; thrown in the task, which then fails. */
export class AsyncRequestFailedError extends Error {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`async request failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${errorMessage(cause)}`, { cause });
    this.name = 'AsyncRequestFailedError';
  }
}
