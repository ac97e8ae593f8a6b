/** Turns any failure of a CLI command into one line that names what went wrong. */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { errorMessage } from '../../common/errors.ts';

/** A failure the CLI reports as is, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * The one-line description of an error, given the JobManager address the command used. An
 * unreachable JobManager is named with its address and a hint; grpc-js's connection errors are
 * tidied up (an empty trailing `Resolution note:` dropped, `Last error: Error: ...` shortened).
 */
export function describeCliError(error: unknown, jobManagerAddress?: string): string {
  const code = (error as { code?: unknown }).code;
  if (code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.DEADLINE_EXCEEDED) {
    const address = jobManagerAddress ?? 'its address';
    const reason = tidyGrpcMessage(errorMessage(error));
    return `JobManager unreachable at ${address}: ${reason}. Is a JobManager running there? Start one with "sluice jobmanager", or pass its HOST:PORT with -m.`;
  }
  if (code === GrpcStatus.UNAUTHENTICATED || code === GrpcStatus.PERMISSION_DENIED) {
    const details = (error as { details?: unknown }).details;
    return `the JobManager at ${jobManagerAddress ?? 'its address'} refused the credentials: ${typeof details === 'string' && details !== '' ? details : errorMessage(error)}`;
  }
  return errorMessage(error);
}

/** Drops an empty `Resolution note:`, the repeated `Error: ` and the final period of a grpc-js message. */
function tidyGrpcMessage(message: string): string {
  return message
    .replace(/\.?\s*Resolution note:\s*$/, '')
    .replace(/Last error: Error: /, 'Last error: ')
    .replace(/\.\s*$/, '');
}
