/**
 * Turns the `name=URI` arguments of a job into sources and sinks.
 */
import type { Sink } from '../common/connector/sink.ts';
import type { Source } from '../common/connector/source.ts';
import type { FileFormat } from './file/file-format.ts';
import { FileSource } from './file/file-source.ts';
import type { RecordValidator } from './file/file-source-options.ts';
import { pathOfFileUri } from './file/file-uri.ts';
import { KafkaSink } from './kafka/kafka-sink.ts';
import { KafkaSource } from './kafka/kafka-source.ts';
import { parseKafkaUri } from './kafka/kafka-uri.ts';
import { NATS_SINK_PARAMETERS, NatsSink } from './nats/nats-sink.ts';
import { NatsSource } from './nats/nats-source.ts';
import { NATS_SOURCE_PARAMETERS } from './nats/nats-source-options.ts';
import { parseNatsUri } from './nats/nats-uri.ts';
import { RedisSink } from './redis/redis-sink.ts';
import { parseRedisUri } from './redis/redis-uri.ts';
import { CollectSink } from './sinks/collect-sink.ts';
import { FileSink } from './sinks/file-sink.ts';
import { PrintSink } from './sinks/print-sink.ts';
import { changeStreamSourceFromUri } from './postgres-cdc/route.ts';
import { SQL_SCHEMES, sqlSinkFromUri, sqlSourceFromUri } from './sql/sql-from-uri.ts';
import { uriScheme } from './uri-scheme.ts';

/** Options of an input that its URI does not tell. */
export interface SourceUriOptions {
  /** Forces the format of every file of a `file:` input. */
  readonly format?: FileFormat;
  /** Checks each parsed record (of a `file:` or `kafka:` input); a returned message sends its line to `malformed`. */
  readonly validate?: RecordValidator;
  /** The longest line of a `file:` input (`FileSourceOptions.maxLineBytes`); the URI's `maxLineBytes=` wins. */
  readonly maxLineBytes?: number;
  /** The malformed output's bound per checkpoint interval (`FileSourceOptions.maxMalformedBytes`); the URI's `maxMalformedBytes=` wins. */
  readonly maxMalformedBytes?: number;
}

/** Builds the source of input `name` from its URI; errors it throws are prefixed with the input. */
type SourceFactory = (name: string, uri: string, options: SourceUriOptions) => Source<Record<string, unknown>>;
/** Builds the sink of output `name` from its URI; errors it throws are prefixed with the output. */
type SinkFactory = (name: string, uri: string) => Sink<unknown>;

/** The source factory of each input URI scheme (with its colon); a new scheme is one more row. */
const SOURCES: Readonly<Record<string, SourceFactory>> = {
  'file:': fileSourceFromUri,
  'kafka:': (_name, uri, options) => new KafkaSource(parseKafkaUri(uri), { validate: options.validate, maxMalformedBytes: options.maxMalformedBytes }),
  'nats:': (name, uri, options) => new NatsSource(parseNatsUri(uri, NATS_SOURCE_PARAMETERS), { inputName: name, validate: options.validate }),
  ...Object.fromEntries(SQL_SCHEMES.map((scheme) => [scheme, (name: string, uri: string) => sqlSourceFromUri(name, uri)])),
};

/** The sink factory of each output URI scheme (with its colon); a new scheme is one more row. */
const SINKS: Readonly<Record<string, SinkFactory>> = {
  'file:': (_name, uri) => new FileSink(pathOfFileUri(uri)),
  'print:': (_name, uri) => new PrintSink({ identifier: uri.slice('print:'.length) }),
  'collect:': () => new CollectSink(),
  'kafka:': (_name, uri) => new KafkaSink(parseKafkaUri(uri)),
  'nats:': (_name, uri) => new NatsSink(parseNatsUri(uri, NATS_SINK_PARAMETERS)),
  ...Object.fromEntries(SQL_SCHEMES.map((scheme) => [scheme, (name: string, uri: string) => sqlSinkFromUri(name, uri)])),
  'redis:': (name, uri) => new RedisSink(parseRedisUri(uri, name), { argument: `output "${name}"` }),
};

const SOURCE_SCHEMES = Object.keys(SOURCES);
const SINK_SCHEMES = Object.keys(SINKS);

/**
 * The source of input `inputName`. Supports `file:` (a file, directory or glob),
 * `kafka://host:port/TOPIC` (see `parseKafkaUri`), `nats:` (a JetStream stream, `NatsSource`), a
 * PostgreSQL change stream (`changeStreamSourceFromUri`, tried first) and a table snapshot
 * `postgres://` or `mysql://` (`parseSqlUri`). Throws an Error naming the input for a missing,
 * unknown or unsupported scheme.
 *
 * A `file:` URI may end with parameters, `?rate=N`, `?maxLineBytes=N`, `?maxMalformedBytes=N` or
 * several joined by `&` (each N a positive integer, in decimal digits), which are not part of the
 * path: with `rate`, each source subtask replays at most N lines per second
 * (`FileSourceOptions.maxRecordsPerSecond`); `maxLineBytes` sets the longest line
 * (`FileSourceOptions.maxLineBytes`); `maxMalformedBytes` bounds the malformed output per
 * checkpoint interval (`FileSourceOptions.maxMalformedBytes`). Only such an exact
 * suffix is special, since a glob may contain `?`: `file:a?b.jsonl` or `file:x.jsonl?rate=abc`
 * keep the whole text as the path. `?rate=0` throws.
 */
export function sourceFromUri(inputName: string, uri: string, options: SourceUriOptions = {}): Source<Record<string, unknown>> {
  const changes = withContext('input', inputName, () => changeStreamSourceFromUri(inputName, uri));
  if (changes !== undefined) return changes;
  const scheme = schemeOf('input', inputName, uri, SOURCE_SCHEMES);
  const factory = SOURCES[scheme];
  if (factory === undefined) throw unsupported('input', inputName, scheme, SOURCE_SCHEMES);
  return withContext('input', inputName, () => factory(inputName, uri, options));
}

/**
 * The sink of output `outputName`. Supports `file:DIR`, `print:` (or `print:IDENTIFIER`),
 * `collect:`, `kafka://host:port/TOPIC`, `nats:` (a JetStream subject, `NatsSink`), a table,
 * `postgres://` or `mysql://` (`parseSqlUri`), and `redis://host:port/prefix` (see `RedisSink`; the
 * password may come from `SLUICE_<NAME>_PASSWORD`). Throws an Error naming the output for a missing, unknown or unsupported scheme.
 */
export function sinkFromUri(outputName: string, uri: string): Sink<unknown> {
  const scheme = schemeOf('output', outputName, uri, SINK_SCHEMES);
  const factory = SINKS[scheme];
  if (factory === undefined) throw unsupported('output', outputName, scheme, SINK_SCHEMES);
  return withContext('output', outputName, () => factory(outputName, uri));
}

/** A `file:` input: the path, its parameter suffix (see `sourceFromUri`) and the options. */
function fileSourceFromUri(inputName: string, uri: string, options: SourceUriOptions): FileSource {
  const { path, params } = splitParameters(uri);
  return new FileSource(pathOfFileUri(path), {
    format: options.format,
    validate: options.validate,
    inputName,
    maxRecordsPerSecond: params.rate,
    maxLineBytes: params.maxLineBytes ?? options.maxLineBytes,
    maxMalformedBytes: params.maxMalformedBytes ?? options.maxMalformedBytes,
  });
}

/** The parameters a `file:` input URI may end with, and what each means in errors. */
const FILE_PARAMETERS = {
  rate: 'lines per second per subtask',
  maxLineBytes: 'the longest line, in bytes',
  maxMalformedBytes: 'bytes of malformed lines per checkpoint interval',
} as const;

type FileParameter = keyof typeof FILE_PARAMETERS;

/** `?name=DIGITS(&name=DIGITS)*` at the very end of a `file:` input URI, names from FILE_PARAMETERS. */
const PARAMETER_SUFFIX = /\?((?:rate|maxLineBytes|maxMalformedBytes)=\d+(?:&(?:rate|maxLineBytes|maxMalformedBytes)=\d+)*)$/;

/** Removes a parameter suffix from `uri` and returns its values, validated as positive integers. */
function splitParameters(uri: string): { readonly path: string; readonly params: Partial<Record<FileParameter, number>> } {
  const match = PARAMETER_SUFFIX.exec(uri);
  if (match === null) return { path: uri, params: {} };
  const params: Partial<Record<FileParameter, number>> = {};
  for (const pair of (match[1] as string).split('&')) {
    const [name, digits] = pair.split('=') as [FileParameter, string];
    if (params[name] !== undefined) throw new Error(`"${uri}": ${name}= is given twice`);
    const value = Number(digits);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`"${uri}": ?${name}= must be a positive integer (${FILE_PARAMETERS[name]}), got ${digits}`);
    }
    params[name] = value;
  }
  return { path: uri.slice(0, match.index), params };
}

function schemeOf(role: string, name: string, uri: string, supported: readonly string[]): string {
  const scheme = uriScheme(uri);
  if (scheme === undefined) {
    throw new Error(`${role} "${name}": "${uri}" has no URI scheme (supported: ${supported.join(', ')}; for example file:data/${name})`);
  }
  if (!supported.includes(scheme)) throw unsupported(role, name, scheme, supported);
  return scheme;
}

function unsupported(role: string, name: string, scheme: string, supported: readonly string[]): Error {
  return new Error(`${role} "${name}": unsupported URI scheme "${scheme}" (supported: ${supported.join(', ')})`);
}

function withContext<T>(role: string, name: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith(`${role} "${name}"`)) throw error;
    throw new Error(`${role} "${name}": ${message}`, { cause: error });
  }
}
