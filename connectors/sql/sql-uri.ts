/**
 * The `postgres://` and `mysql://` URIs of SQL inputs and outputs, parsed and redacted.
 */

/** How a SQL sink writes its rows. */
export type SqlWriteMode = 'append' | 'upsert';

/** A parsed SQL connector URI. The password never appears in `display`. */
export interface SqlUri {
  /** `postgres` or `mysql`. */
  readonly dialect: 'postgres' | 'mysql';
  readonly user: string;
  /** From the URI or `SLUICE_<NAME>_PASSWORD`; undefined when neither gives one. */
  readonly password: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The table, possibly `schema.table`. */
  readonly table: string;
  readonly mode: SqlWriteMode;
  /** The upsert key columns (`?key=a,b`); empty in append mode. */
  readonly key: readonly string[];
  /** Whether a sink creates a missing table from its first record (`?create=true`). */
  readonly create: boolean;
  /** How many key-range splits a source asks for (`?splits=N`, default 4). */
  readonly splits: number;
  /** The URI without its password, for logs and errors. */
  readonly display: string;
}

const DEFAULT_PORTS = { postgres: 5432, mysql: 3306 } as const;
const KNOWN_PARAMETERS = new Set(['table', 'mode', 'key', 'create', 'splits']);

/** The environment variable that may hold the password of job argument `name`. */
export function passwordVariable(name: string): string {
  return `SLUICE_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD`;
}

/** Removes the password from a URI of this kind, for error messages about a URI that did not parse. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * Parses `postgres://user[:password]@host[:port]/db?table=t[&mode=append|upsert][&key=a,b][&create=true]`
 * (or `mysql://`). `argumentName` is the job argument's name, whose `SLUICE_<NAME>_PASSWORD`
 * variable gives the password when the URI has none. Throws an Error naming the parameter at fault.
 */
export function parseSqlUri(uri: string, argumentName: string, env: NodeJS.ProcessEnv = process.env): SqlUri {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`"${redactUri(uri)}" is not a valid URI`);
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const dialect = scheme === 'postgres' || scheme === 'mysql' ? scheme : undefined;
  if (dialect === undefined) throw new Error(`"${redactUri(uri)}": not a postgres:// or mysql:// URI`);
  const user = decodeURIComponent(url.username) || (dialect === 'postgres' ? 'postgres' : 'root');
  const password = url.password !== '' ? decodeURIComponent(url.password) : env[passwordVariable(argumentName)];
  const safe = new URL(url.href);
  safe.password = '';
  const display = safe.href;
  const fail = (what: string): Error => new Error(`"${display}": ${what}`);
  if (url.hostname === '') throw fail('has no host');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) throw fail('needs the database as its path, for example /test');
  for (const name of url.searchParams.keys()) {
    if (!KNOWN_PARAMETERS.has(name)) throw fail(`unknown parameter ?${name}= (known: ${[...KNOWN_PARAMETERS].join(', ')})`);
  }
  const table = url.searchParams.get('table') ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(table)) throw fail(`?table= must name a table (letters, digits, _; optionally schema.table), got "${table}"`);
  const modeText = url.searchParams.get('mode') ?? 'append';
  if (modeText !== 'append' && modeText !== 'upsert') throw fail(`?mode= must be append or upsert, got "${modeText}"`);
  const key = (url.searchParams.get('key') ?? '').split(',').filter((k) => k !== '');
  if (modeText === 'upsert' && key.length === 0) throw fail('?mode=upsert needs ?key=col1,col2');
  if (modeText === 'append' && key.length > 0) throw fail('?key= is only for ?mode=upsert');
  for (const column of key) if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(column)) throw fail(`?key= names an invalid column "${column}"`);
  const createText = url.searchParams.get('create') ?? 'false';
  if (createText !== 'true' && createText !== 'false') throw fail(`?create= must be true or false, got "${createText}"`);
  const splitsText = url.searchParams.get('splits') ?? '4';
  const splits = Number(splitsText);
  if (!/^\d+$/.test(splitsText) || splits < 1 || splits > 4096) throw fail(`?splits= must be an integer from 1 to 4096, got "${splitsText}"`);
  const port = url.port === '' ? DEFAULT_PORTS[dialect] : Number(url.port);
  return { dialect, user, password, host: url.hostname, port, database, table, mode: modeText, key, create: createText === 'true', splits, display };
}
