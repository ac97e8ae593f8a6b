/**
 * Errors of the Redis connectors: one line naming what failed and where, never a password.
 */
import type { RedisUri } from './redis-uri.ts';

/** What the Redis client said, shortened to its first line. */
function causeOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * An Error `redis: <what> (<where>): <cause>`, for example `redis: cannot connect (Redis at
 * redis://127.0.0.1:6379/0, output "out"): WRONGPASS invalid username-password pair`. The
 * original error is kept as `cause`.
 */
export function redisError(what: string, uri: RedisUri, argument: string | undefined, error: unknown): Error {
  const where = argument === undefined ? `Redis at ${uri.display}` : `Redis at ${uri.display}, ${argument}`;
  const text = uri.password === undefined ? causeOf(error) : causeOf(error).replaceAll(uri.password, '***');
  return new Error(`redis: ${what} (${where}): ${text}`, { cause: error });
}
