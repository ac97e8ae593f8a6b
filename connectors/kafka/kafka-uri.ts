/**
 * The `kafka://host:port[,host:port]/TOPIC?...` URIs of Kafka inputs and outputs.
 */

/** Where a source starts when no checkpoint says: the first offset, the end, or a time. */
export type KafkaStart = { readonly kind: 'earliest' } | { readonly kind: 'latest' } | { readonly kind: 'timestamp'; readonly ms: number };

/** How a sink delivers: in transactions committed with checkpoints, or at least once. */
export type KafkaDelivery = 'exactly-once' | 'at-least-once';

/** A parsed `kafka:` URI. */
export interface KafkaUri {
  /** The text as given, for errors. */
  readonly uri: string;
  /** The bootstrap brokers, `host:port` each. */
  readonly brokers: readonly string[];
  readonly topic: string;
  /** `?group=`: the consumer group offsets are committed to for monitoring; default `sluice-<topic>`. */
  readonly group: string | undefined;
  /** `?start=`; default earliest. */
  readonly start: KafkaStart;
  /** `?bounded=true`: read up to the end offsets at start, then end. */
  readonly bounded: boolean;
  /** `?delivery=`; default exactly-once. */
  readonly delivery: KafkaDelivery;
  /** `?key=FIELD`: a sink keys each record by this field (murmur2-partitioned); default no key. */
  readonly keyField: string | undefined;
  /** `?rate=N`: a source subtask emits at most N records per second. */
  readonly rate: number | undefined;
  /** `?maxMalformedBytes=N`: the bound of a source subtask's malformed output per checkpoint interval. */
  readonly maxMalformedBytes: number | undefined;
}

const PARAMETERS = new Set(['group', 'start', 'bounded', 'delivery', 'key', 'rate', 'maxMalformedBytes']);
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Parses a `kafka:` URI; throws an Error naming the URI and the part that is wrong. */
export function parseKafkaUri(uri: string): KafkaUri {
  const match = /^kafka:\/\/([^/?]*)\/([^?]*)(?:\?(.*))?$/i.exec(uri);
  if (match === null) throw new Error(`"${uri}": a Kafka URI is kafka://host:port[,host:port]/TOPIC[?group=&start=&bounded=&delivery=&key=&rate=&maxMalformedBytes=]`);
  const brokers = (match[1] ?? '').split(',').filter((broker) => broker !== '');
  if (brokers.length === 0) throw new Error(`"${uri}": names no broker (kafka://host:port/TOPIC)`);
  for (const broker of brokers) {
    const parts = BROKER.exec(broker);
    const port = Number(parts?.[2]);
    if (parts === null || port < 1 || port > 65535) throw new Error(`"${uri}": broker "${broker}" is not host:port`);
  }
  const topic = decodeURIComponent(match[2] ?? '');
  if (!TOPIC.test(topic)) throw new Error(`"${uri}": topic "${topic}" is not a Kafka topic name (letters, digits, . _ -)`);
  const params = new Map<string, string>();
  for (const pair of (match[3] ?? '').split('&').filter((p) => p !== '')) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : decodeURIComponent(pair.slice(equals + 1));
    if (!PARAMETERS.has(name)) throw new Error(`"${uri}": unknown parameter "${name}" (known: ${[...PARAMETERS].join(', ')})`);
    if (params.has(name)) throw new Error(`"${uri}": ${name}= is given twice`);
    params.set(name, value);
  }
  const group = params.get('group');
  if (group === '') throw new Error(`"${uri}": group= is empty`);
  const keyField = params.get('key');
  if (keyField === '') throw new Error(`"${uri}": key= is empty`);
  const rate = positiveOf(uri, 'rate', params.get('rate'), 'records per second per subtask');
  const maxMalformedBytes = positiveOf(uri, 'maxMalformedBytes', params.get('maxMalformedBytes'), 'bytes of malformed records per checkpoint interval');
  return {
    uri,
    rate,
    maxMalformedBytes,
    brokers,
    topic,
    group,
    start: startOf(uri, params.get('start')),
    bounded: boundedOf(uri, params.get('bounded')),
    delivery: deliveryOf(uri, params.get('delivery')),
    keyField,
  };
}

/** A positive integer parameter in decimal digits, or undefined when absent. */
function positiveOf(uri: string, name: string, text: string | undefined, meaning: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new Error(`"${uri}": ${name}=${text} is not a positive integer (${meaning})`);
  return value;
}

function startOf(uri: string, text: string | undefined): KafkaStart {
  if (text === undefined || text === 'earliest') return { kind: 'earliest' };
  if (text === 'latest') return { kind: 'latest' };
  if (text.startsWith('timestamp:')) {
    const value = text.slice('timestamp:'.length);
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isSafeInteger(ms) && ms >= 0) return { kind: 'timestamp', ms };
  }
  throw new Error(`"${uri}": start=${text} is not earliest, latest or timestamp:<milliseconds or ISO time>`);
}

function boundedOf(uri: string, text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw new Error(`"${uri}": bounded=${text} is not true or false`);
}

function deliveryOf(uri: string, text: string | undefined): KafkaDelivery {
  if (text === undefined || text === 'exactly-once') return 'exactly-once';
  if (text === 'at-least-once') return text;
  throw new Error(`"${uri}": delivery=${text} is not exactly-once or at-least-once`);
}
