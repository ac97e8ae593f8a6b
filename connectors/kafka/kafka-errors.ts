/**
 * Errors of the Kafka connector that name the URI and the service and say what went wrong in one
 * line, instead of a client stack.
 */
import type { KafkaUri } from './kafka-uri.ts';

/** The error `kafka: <what> (Kafka at <brokers>, topic "<topic>"): <reason>`, with the client's error as cause. */
export function kafkaError(what: string, uri: KafkaUri, error: unknown): Error {
  return new Error(`kafka: ${what} (Kafka at ${uri.brokers.join(',')}, topic "${uri.topic}"): ${reasonOf(error)}`, { cause: error });
}

/** Whether the client says that retrying may help (a leader moved, a connection dropped). */
export function isRetriable(error: unknown): boolean {
  return (error as { retriable?: unknown } | undefined)?.retriable === true;
}

/** The client error's type (`UNKNOWN_TOPIC_OR_PARTITION`, `PRODUCER_FENCED`...), if it has one. */
export function kafkaErrorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** The innermost useful message: kafkajs wraps a connection refusal in "retries exceeded". */
function reasonOf(error: unknown): string {
  let current: unknown = error;
  const seen = new Set<unknown>();
  let message = error instanceof Error ? error.message : String(error);
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (kafkaErrorType(current) === 'UNKNOWN_TOPIC_OR_PARTITION') return 'the topic does not exist';
    const code = (current as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') return `cannot connect: ${current.message}`;
    if (/Connection error|Failed to connect/i.test(current.message)) message = `cannot connect: ${current.message}`;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return message;
}
