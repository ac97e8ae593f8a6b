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

/** The one-line description of an error, given the JobManager address the command used. */
export function describeCliError(error: unknown, jobManagerAddress?: string): string {
  const code = (error as { code?: unknown }).code;
  if (code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.DEADLINE_EXCEEDED) {
    return `JobManager unreachable at ${jobManagerAddress ?? 'its address'}: ${errorMessage(error)}`;
  }
  if (code === GrpcStatus.UNAUTHENTICATED || code === GrpcStatus.PERMISSION_DENIED) {
    const details = (error as { details?: unknown }).details;
    return `the JobManager at ${jobManagerAddress ?? 'its address'} refused the credentials: ${typeof details === 'string' && details !== '' ? details : errorMessage(error)}`;
  }
  return errorMessage(error);
}
