/**
 * The parts of a `redis://` URI, for the Redis sink and lookup service.
 */

/** How a sink record becomes a Redis command: `SET`, `HSET` or `ZADD`. */
export type RedisWriteType = 'string' | 'hash' | 'zset';

/** A parsed `redis://[user[:password]@]host:port/prefix?...` URI. The password is never part of `display`. */
export interface RedisUri {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Prepended to every key with a colon; empty for none. */
  readonly prefix: string;
  readonly type: RedisWriteType;
  /** `?key=`: a template of literal text and `{field}` references, such as `{shop}:{minute}`. */
  readonly key: string | undefined;
  /** `?field=`: the record field whose value names the hash field. */
  readonly field: string | undefined;
  /** `?value=`: the record field written as the value; default the whole record as JSON. */
  readonly value: string | undefined;
  /** `?score=`: the record field holding the sorted-set score. */
  readonly score: string | undefined;
  /** `?member=`: the record field written as the member; default the whole record as JSON. */
  readonly member: string | undefined;
  /** `?ttl=SECONDS`: expiry set with each write. */
  readonly ttlSeconds: number | undefined;
  /** `?maxStagedBytes=N`: the bound of what a sink subtask stages per checkpoint. */
  readonly maxStagedBytes: number;
  /** `redis://host:port/db`, for errors and logs: no credentials. */
  readonly display: string;
}

/** Default bound of the staged writes of one sink subtask, 64 MiB. */
export const DEFAULT_MAX_STAGED_BYTES = 64 * 1024 * 1024;

const PARAMETERS = new Set(['db', 'type', 'key', 'field', 'value', 'score', 'member', 'ttl', 'maxStagedBytes']);
const TYPES: readonly RedisWriteType[] = ['string', 'hash', 'zset'];

/** The environment variable that may hold the password of argument `name`: `SLUICE_<NAME>_PASSWORD`. */
export function passwordVariableOf(name: string): string {
  return `SLUICE_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD`;
}

/**
 * Parses a `redis://` URI. The password comes from the URI or, when it has none, from
 * `SLUICE_<NAME>_PASSWORD` of `env` (for `name`, the argument's name). Throws an Error naming
 * the parameter for anything it does not understand; the message never contains the password.
 */
export function parseRedisUri(uri: string, name?: string, env: NodeJS.ProcessEnv = process.env): RedisUri {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`"${redact(uri)}" is not a valid redis://host:port/prefix URI`);
  }
  if (url.protocol !== 'redis:') throw new Error(`"${redact(uri)}" is not a redis:// URI`);
  if (url.hostname === '') throw new Error(`"${redact(uri)}" names no host`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? 6379 : Number(url.port);
  const params = url.searchParams;
  for (const key of params.keys()) {
    if (!PARAMETERS.has(key)) throw new Error(`"${redact(uri)}": unknown parameter ${key}= (known: ${[...PARAMETERS].join(', ')})`);
  }
  const one = (key: string): string | undefined => {
    const values = params.getAll(key);
    if (values.length > 1) throw new Error(`"${redact(uri)}": ${key}= is given twice`);
    return values[0] === '' ? undefined : values[0];
  };
  const integer = (key: string, min: number): number | undefined => {
    const text = one(key);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) throw new Error(`"${redact(uri)}": ${key}= must be an integer of at least ${min}, got ${text}`);
    return value;
  };
  const type = (one('type') ?? 'string') as RedisWriteType;
  if (!TYPES.includes(type)) throw new Error(`"${redact(uri)}": type= must be one of ${TYPES.join(', ')}, got ${type}`);
  const db = integer('db', 0) ?? 0;
  const fromUri = url.password === '' ? undefined : decodeURIComponent(url.password);
  const password = fromUri ?? (name === undefined ? undefined : env[passwordVariableOf(name)]);
  return {
    host,
    port,
    db,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: password === '' ? undefined : password,
    prefix: decodeURIComponent(url.pathname.replace(/^\/+/, '')),
    type,
    key: one('key'),
    field: one('field'),
    value: one('value'),
    score: one('score'),
    member: one('member'),
    ttlSeconds: integer('ttl', 1),
    maxStagedBytes: integer('maxStagedBytes', 1) ?? DEFAULT_MAX_STAGED_BYTES,
    display: `redis://${host.includes(':') ? `[${host}]` : host}:${port}/${db}`,
  };
}

/** The URI with any password replaced by `***`, for error messages. */
export function redact(uri: string): string {
  return uri.replace(/^(redis:\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
