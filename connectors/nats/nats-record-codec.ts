/**
 * Messages to records and back: the body is one JSON object; headers travel in a record field
 * when the URI names one.
 */
import { isUtf8 } from 'node:buffer';
import { headers as newHeaders, type MsgHdrs } from '@nats-io/transport-node';

/** A record's header field: one string per header, or a list for a header given several times. */
export type HeaderValues = Record<string, string | string[]>;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The result of decoding a message body: a record, or the raw text and why it was refused. */
export type Decoded = { readonly record: Record<string, unknown>; readonly raw: string } | { readonly raw: string; readonly error: string };

/** Decodes a message body as a JSON object; adds the headers under `headersField` when given. */
export function decodeMessage(data: Uint8Array, headers: MsgHdrs | undefined, headersField: string | undefined): Decoded {
  const text = decoder.decode(data);
  if (text.includes('\uFFFD') && !isUtf8(data)) {
    return { raw: text, error: 'the message body is not UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { raw: text, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { raw: text, error: `expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}` };
  }
  const record = value as Record<string, unknown>;
  if (headersField !== undefined && headers !== undefined) record[headersField] = headerValues(headers);
  return { record, raw: text };
}

/** The headers of a message as a plain object. */
function headerValues(headers: MsgHdrs): HeaderValues {
  const values: HeaderValues = {};
  for (const key of headers.keys()) {
    const all = headers.values(key);
    values[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return values;
}

/** A record ready to publish: its JSON body and its headers, if any. */
export interface EncodedMessage {
  readonly data: string;
  readonly headers?: HeaderValues;
}

/**
 * Encodes a record: with `headersField`, that field (an object of string or string-list values)
 * becomes the headers and the rest the body. Throws naming the field when it is not such an object.
 */
export function encodeRecord(record: unknown, headersField: string | undefined): EncodedMessage {
  if (headersField === undefined || typeof record !== 'object' || record === null || !(headersField in record)) {
    return { data: JSON.stringify(record) ?? 'null' };
  }
  const { [headersField]: headerField, ...body } = record as Record<string, unknown>;
  return { data: JSON.stringify(body), headers: checkHeaders(headerField, headersField) };
}

/** The NATS headers of an encoded message, with its `Nats-Msg-Id` and the stream it must land in. */
export function toMsgHdrs(values: HeaderValues | undefined, msgId: string, stream: string): MsgHdrs {
  const h = newHeaders();
  if (values !== undefined) {
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'string') h.append(key, value);
      else for (const v of value) h.append(key, v);
    }
  }
  h.set('Nats-Msg-Id', msgId);
  h.set('Nats-Expected-Stream', stream);
  return h;
}

function checkHeaders(value: unknown, field: string): HeaderValues {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`the header field "${field}" must be an object, got ${JSON.stringify(value)}`);
  for (const [key, v] of Object.entries(value)) {
    const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) throw new Error(`header "${key}" of field "${field}" must be a string or a list of strings, got ${JSON.stringify(v)}`);
  }
  return value as HeaderValues;
}
