/**
 * The statements that differ between PostgreSQL and MySQL/MariaDB.
 */
import type { SqlClient } from './sql-client.ts';
import type { SqlUri } from './sql-uri.ts';

/** A table's schema and name, split from `schema.table`. */
export interface TableName {
  readonly schema: string | undefined;
  readonly name: string;
}

/** One database dialect: its pool and the text of its statements. */
export interface SqlDialect {
  readonly name: 'postgres' | 'mysql';
  /** The most bind parameters one statement may have. */
  readonly maxParameters: number;
  /** Opens a pool to the URI's database. */
  connect(uri: SqlUri): SqlClient;
  /** Quotes an identifier. */
  quote(identifier: string): string;
  /** The placeholder of bind parameter `index` (from 1). */
  placeholder(index: number): string;
  /** A statement with the `column_name` and `data_type` of each column of `table`, in order; no rows when the table does not exist. */
  columnsQuery(table: TableName): { readonly sql: string; readonly params: unknown[] };
  /** A statement with the `column_name` of each primary-key column of `table`, in key order. */
  primaryKeyQuery(table: TableName): { readonly sql: string; readonly params: unknown[] };
  /** The suffix of a multi-row INSERT that turns it into an upsert on `key`. */
  upsertClause(columns: readonly string[], key: readonly string[]): string;
  /** The column type `?create=true` gives a field whose first value is `value`. */
  columnType(value: unknown, isKey: boolean): string;
  /** Creates the commit table `name` when it does not exist. */
  createCommitTable(name: string): string;
  /** Inserts a marker row `(job, operator, subtask, checkpoint_id)` into `name`, doing nothing (0 rows) when it exists. */
  insertMarker(name: string): string;
}

/** Splits `schema.table`. */
export function tableName(table: string): TableName {
  const dot = table.indexOf('.');
  return dot < 0 ? { schema: undefined, name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
}

/** The quoted, possibly schema-qualified name of a table. */
export function quotedTable(dialect: SqlDialect, table: TableName): string {
  return table.schema === undefined ? dialect.quote(table.name) : `${dialect.quote(table.schema)}.${dialect.quote(table.name)}`;
}
