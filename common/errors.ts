/**
 * Errors that cross process boundaries keep their meaning through a gRPC status code, so that
 * the CLI can name what went wrong without a stack trace.
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { inspect } from 'node:util';

/** A failure with a user-facing message and the gRPC code that carries it. */
export class SluiceError extends Error {
  constructor(
    message: string,
    readonly code: GrpcStatus,
  ) {
    super(message);
    this.name = 'SluiceError';
  }
}

/** The job graph or a job argument is invalid. */
export function invalidArgument(message: string): SluiceError {
  return new SluiceError(message, GrpcStatus.INVALID_ARGUMENT);
}

/** Something named by id does not exist. */
export function notFound(message: string): SluiceError {
  return new SluiceError(message, GrpcStatus.NOT_FOUND);
}

/** A resource (slots, size) is exhausted. */
export function resourceExhausted(message: string): SluiceError {
  return new SluiceError(message, GrpcStatus.RESOURCE_EXHAUSTED);
}

/** The request conflicts with the current state. */
export function failedPrecondition(message: string): SluiceError {
  return new SluiceError(message, GrpcStatus.FAILED_PRECONDITION);
}

/** The caller is known but may not do this. */
export function permissionDenied(message: string): SluiceError {
  return new SluiceError(message, GrpcStatus.PERMISSION_DENIED);
}

/** Converts an error into the shape grpc-js sends to the caller. */
export function toServiceError(error: unknown): Partial<ServiceError> {
  if (error instanceof SluiceError) return { code: error.code, details: error.message, message: error.message };
  const message = errorMessage(error);
  return { code: GrpcStatus.INTERNAL, details: message, message };
}

/** Whether an error is a gRPC error with the given code. */
export function hasGrpcCode(error: unknown, code: GrpcStatus): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * The message of any thrown value: an error's details or message, the `details` or `message` of
 * an error-like object, otherwise a short description of the value (never "[object Object]").
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return (error as ServiceError).details || error.message || error.name;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { details, message } = error as { details?: unknown; message?: unknown };
    if (typeof details === 'string' && details) return details;
    if (typeof message === 'string' && message) return message;
  }
  return inspect(error, { depth: 2, breakLength: Infinity, maxStringLength: 200, maxArrayLength: 10 });
}
