/**
 * The URI of a PostgreSQL change stream: `postgres://user[:password]@host:port/db?table=t&changes=true`,
 * with an optional `&slot=NAME` that overrides the replication slot's derived name.
 */
import type { ClientConfig } from 'pg';

/** What a change-stream URI says, the password resolved. */
export interface CdcUri {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** The table, as `name` or `schema.name`. */
  readonly table: string;
  /** The replication slot's name when the URI gives one (`?slot=`). */
  readonly slot?: string;
  /** From the URI or `SLUICE_<INPUT>_PASSWORD`; never logged. */
  readonly password?: string;
}

const SLOT_NAME = /^[a-z0-9_]{1,63}$/;
const KNOWN_PARAMETERS = new Set(['table', 'changes', 'slot']);

/** Whether `uri` asks for a change stream (`postgres://` or `postgresql://` with `changes=true`). */
export function isChangeStreamUri(uri: string): boolean {
  if (!/^postgres(ql)?:\/\//.test(uri)) return false;
  const query = uri.indexOf('?');
  return query >= 0 && new URLSearchParams(uri.slice(query + 1)).get('changes') === 'true';
}

/**
 * Parses a change-stream URI of input `inputName`. The password comes from the URI, else from
 * the environment variable `SLUICE_<INPUT>_PASSWORD` (the input's name upper-cased, other
 * characters as `_`), so that it need not appear in `ps`. Throws naming the argument at fault,
 * never the password.
 */
export function parseCdcUri(inputName: string, uri: string, env: NodeJS.ProcessEnv = process.env): CdcUri {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error('the URI does not parse (expected postgres://user@host:port/db?table=t&changes=true)');
  }
  for (const name of url.searchParams.keys()) {
    if (!KNOWN_PARAMETERS.has(name)) throw new Error(`unknown parameter ?${name}= (supported: table, changes, slot)`);
  }
  const table = url.searchParams.get('table');
  if (table === null || table === '') throw new Error('?table= is required for a change stream');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '') throw new Error('the URI names no database (postgres://user@host:port/DB?...)');
  const user = decodeURIComponent(url.username);
  if (user === '') throw new Error('the URI names no user (postgres://USER@host:port/db?...)');
  const slot = url.searchParams.get('slot') ?? undefined;
  if (slot !== undefined && !SLOT_NAME.test(slot)) {
    throw new Error(`?slot=${slot} is not a replication slot name (lower-case letters, digits and _, at most 63)`);
  }
  const port = url.port === '' ? 5432 : Number(url.port);
  const password = url.password !== '' ? decodeURIComponent(url.password) : env[passwordVariable(inputName)];
  return { host: url.hostname || '127.0.0.1', port, user, database, table, ...(slot !== undefined && { slot }), ...(password !== undefined && { password }) };
}

/** The environment variable that may hold the password of input `inputName`. */
export function passwordVariable(inputName: string): string {
  return `SLUICE_${inputName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD`;
}

/** The `pg` client configuration of a change-stream URI. */
export function clientConfig(uri: CdcUri): ClientConfig {
  return { host: uri.host, port: uri.port, user: uri.user, database: uri.database, password: uri.password, connectionTimeoutMillis: 10_000 };
}

/** `user@host:port/db`, naming the server in errors and logs without the password. */
export function describeServer(uri: CdcUri): string {
  return `${uri.user}@${uri.host}:${uri.port}/${uri.database}`;
}
