/**
 * The SQL sources and sinks of `postgres://` and `mysql://` job arguments.
 */
import type { Sink } from '../../common/connector/sink.ts';
import type { Source } from '../../common/connector/source.ts';
import { mysqlDialect } from '../mysql/mysql-dialect.ts';
import { postgresDialect } from '../postgres/postgres-dialect.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { SqlSink } from './sql-sink.ts';
import { SqlSource } from './sql-source.ts';
import { parseSqlUri, type SqlUri } from './sql-uri.ts';

/** The URI schemes of SQL connectors. */
export const SQL_SCHEMES = ['postgres:', 'mysql:'];

function dialectOf(uri: SqlUri): SqlDialect {
  return uri.dialect === 'postgres' ? postgresDialect : mysqlDialect;
}

/** The snapshot source of input `name` (`SqlSource`); its password may come from `SLUICE_<NAME>_PASSWORD`. */
export function sqlSourceFromUri(name: string, uri: string): Source<Record<string, unknown>> {
  const parsed = parseSqlUri(uri, name);
  return new SqlSource(dialectOf(parsed), parsed);
}

/** The exactly-once sink of output `name` (`SqlSink`); its password may come from `SLUICE_<NAME>_PASSWORD`. */
export function sqlSinkFromUri(name: string, uri: string): Sink<unknown> {
  const parsed = parseSqlUri(uri, name);
  return new SqlSink(dialectOf(parsed), parsed);
}
