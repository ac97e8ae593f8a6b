/**
 * One-line errors of the SQL connectors that name the URI (without its password) and the cause.
 */
import type { SqlUri } from './sql-uri.ts';

/** The message of a driver error; a failed connection to several addresses has it in its parts. */
export function causeOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return causeOf(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message !== '' ? error.message : typeof code === 'string' ? code : error.name;
    return message.split('\n')[0] as string;
  }
  return String(error);
}

/**
 * An Error `<dialect> <uri>: <what>: <cause>` without a stack worth printing and without the
 * driver's error attached (it may carry connection settings).
 */
export function sqlError(what: string, uri: SqlUri, error?: unknown): Error {
  const failure = new Error(`${uri.display}: ${what}${error === undefined ? '' : `: ${causeOf(error)}`}`);
  failure.stack = failure.message;
  return failure;
}
