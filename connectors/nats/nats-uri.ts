/**
 * The `nats://` URI of a NATS JetStream input or output.
 */

/** Where a NATS input or output reads or writes, and how to reach the server. */
export interface NatsAddress {
  /** `host:port` of the server, as given (default port 4222). */
  readonly server: string;
  /** User and password, or a token (`nats://TOKEN@host`), from the URI's user-info part. */
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** The JetStream stream. */
  readonly stream: string;
  /** The subject (filter), possibly with wildcards; undefined for the whole stream. */
  readonly subject: string | undefined;
  /** The query parameters, by name. */
  readonly params: ReadonlyMap<string, string>;
}

/** The URI without its credentials, for messages and logs. */
export function displayUri(address: NatsAddress): string {
  const path = address.subject === undefined ? address.stream : `${address.stream}/${address.subject}`;
  return `nats://${address.server}/${path}`;
}

/**
 * Parses `nats://[user:pass@|token@]host[:port]/STREAM[/SUBJECT][?name=value&...]`. Throws an Error
 * that names the part that is wrong; `allowed` lists the parameter names the caller accepts.
 */
export function parseNatsUri(uri: string, allowed: readonly string[]): NatsAddress {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`"${uri}" is not a valid URI (expected nats://host:port/STREAM/SUBJECT)`);
  }
  if (url.protocol !== 'nats:') throw new Error(`"${uri}" is not a nats:// URI`);
  if (url.hostname === '') throw new Error(`"${redact(uri)}" names no server (expected nats://host:port/STREAM/SUBJECT)`);
  const segments = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const stream = segments[0];
  if (stream === undefined) throw new Error(`"${redact(uri)}" names no stream (expected nats://host:port/STREAM/SUBJECT)`);
  if (!STREAM_NAME.test(stream)) throw new Error(`"${redact(uri)}": "${stream}" is not a valid stream name (no spaces, dots, "*", ">", "/" or "\\")`);
  if (segments.length > 2) throw new Error(`"${redact(uri)}": the path must be /STREAM/SUBJECT; a subject uses dots, not slashes`);
  const subject = segments[1];
  if (subject !== undefined && !validSubject(subject)) throw new Error(`"${redact(uri)}": "${subject}" is not a valid subject`);
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!allowed.includes(name)) throw new Error(`"${redact(uri)}": unknown parameter "${name}" (supported: ${allowed.join(', ') || 'none'})`);
    if (params.has(name)) throw new Error(`"${redact(uri)}": parameter "${name}" is given twice`);
    params.set(name, value);
  }
  const server = `${url.hostname}:${url.port === '' ? '4222' : url.port}`;
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const pass = url.password === '' ? undefined : decodeURIComponent(url.password);
  const credentials = user === undefined ? {} : pass === undefined ? { token: user } : { user, pass };
  return { server, stream, subject, params, ...credentials };
}

/** Names NATS forbids in a stream name. */
const STREAM_NAME = /^[^\s.*>/\\]+$/;

/** Dot-separated non-empty tokens; `*` is a whole token, `>` only the last one. */
function validSubject(subject: string): boolean {
  const tokens = subject.split('.');
  return tokens.every((token, i) => token !== '' && !/\s/.test(token) && (token === '>' ? i === tokens.length - 1 : !token.includes('>')) && (token === '*' || !token.includes('*')));
}

/** The URI with any credentials replaced by `***`. */
function redact(uri: string): string {
  return uri.replace(/^(nats:\/\/)[^@/]*@/i, '$1***@');
}
