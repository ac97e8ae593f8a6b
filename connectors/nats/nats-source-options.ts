/**
 * The parameters of a `nats://` input: where reading starts, whether it ends, where headers go.
 */
import type { NatsAddress } from './nats-uri.ts';

/** Where a NATS source starts in each split. */
export type NatsStart =
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  | { readonly kind: 'seq'; readonly seq: number }
  | { readonly kind: 'time'; readonly time: string };

/** What the parameters of a `nats://` input say. */
export interface NatsSourceParams {
  readonly start: NatsStart;
  /** Read up to the last sequence present at the start, then end. */
  readonly bounded: boolean;
  /** The record field that receives the message headers, or undefined to leave them out. */
  readonly headersField: string | undefined;
  /** Messages per second each source subtask emits at most, or undefined when not paced. */
  readonly rate: number | undefined;
}

/** The parameter names a `nats://` input accepts. */
export const NATS_SOURCE_PARAMETERS = ['start', 'bounded', 'headers', 'rate'] as const;

/**
 * `?start=first|last|seq:N|time:ISO` (default first), `?bounded=true|false` (default false),
 * `?headers=FIELD`, `?rate=N` (messages per second per subtask, to replay slowly). Throws an Error naming the parameter and what it accepts.
 */
export function natsSourceParams(address: NatsAddress): NatsSourceParams {
  const bounded = address.params.get('bounded') ?? 'false';
  if (bounded !== 'true' && bounded !== 'false') throw new Error(`?bounded= must be true or false, got "${bounded}"`);
  const headersField = address.params.get('headers');
  if (headersField === '') throw new Error('?headers= must name a record field');
  const rateText = address.params.get('rate');
  const rate = rateText === undefined ? undefined : Number(rateText);
  if (rate !== undefined && (!/^\d+$/.test(rateText as string) || !Number.isSafeInteger(rate) || rate < 1)) {
    throw new Error(`?rate= must be a positive integer (messages per second per subtask), got "${rateText}"`);
  }
  return { start: parseStart(address.params.get('start') ?? 'first'), bounded: bounded === 'true', headersField, rate };
}

/** An RFC 3339 time (what the server takes), fractions down to nanoseconds: `2026-01-02T03:04:05.123456789Z`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseStart(text: string): NatsStart {
  if (text === 'first' || text === 'last') return { kind: text };
  if (text.startsWith('seq:')) {
    const digits = text.slice(4);
    const seq = Number(digits);
    if (!/^\d+$/.test(digits) || !Number.isSafeInteger(seq) || seq < 1) throw new Error(`?start=seq:N needs a positive integer N, got "${digits}"`);
    return { kind: 'seq', seq };
  }
  if (text.startsWith('time:')) {
    const iso = text.slice(5);
    if (!RFC3339.test(iso) || Number.isNaN(Date.parse(iso))) throw new Error(`?start=time:ISO needs an ISO 8601 time with a zone, got "${iso}"`);
    return { kind: 'time', time: iso };
  }
  throw new Error(`?start= must be first, last, seq:N or time:ISO, got "${text}"`);
}
