/**
 * The columns of a sink's table: read at job start, created from the first record's shape with
 * `?create=true`, and checked against the fields records have.
 */
import type { SqlConnection } from './sql-client.ts';
import { quotedTable, tableName, type SqlDialect } from './sql-dialect.ts';
import { sqlError } from './sql-errors.ts';
import type { SqlUri } from './sql-uri.ts';

/** Reads the column names of the URI's table, in order; empty when the table does not exist. */
export async function tableColumns(dialect: SqlDialect, connection: SqlConnection, uri: SqlUri): Promise<string[]> {
  return [...(await tableColumnTypes(dialect, connection, uri)).keys()];
}

/** Reads the columns of the URI's table with their data types, in order; empty when the table does not exist. */
export async function tableColumnTypes(dialect: SqlDialect, connection: SqlConnection, uri: SqlUri): Promise<Map<string, string>> {
  const { sql, params } = dialect.columnsQuery(tableName(uri.table));
  let rows: Record<string, unknown>[];
  try {
    rows = (await connection.query(sql, params)).rows;
  } catch (error) {
    throw sqlError(`cannot read the columns of table ${uri.table}`, uri, error);
  }
  return new Map(rows.map((row) => [String(row.column_name ?? row.COLUMN_NAME), String(row.data_type ?? row.DATA_TYPE).toLowerCase()]));
}

/** Whether a data type of `tableColumnTypes` is an integer type, in either dialect. */
export function isIntegerType(dataType: string | undefined): boolean {
  return dataType !== undefined && /^(small|big|tiny|medium)?int(eger)?$/.test(dataType);
}

/** Reads the primary-key columns of the URI's table, in key order. */
export async function primaryKeyColumns(dialect: SqlDialect, connection: SqlConnection, uri: SqlUri): Promise<string[]> {
  const { sql, params } = dialect.primaryKeyQuery(tableName(uri.table));
  try {
    const { rows } = await connection.query(sql, params);
    return rows.map((row) => String(row.column_name ?? row.COLUMN_NAME));
  } catch (error) {
    throw sqlError(`cannot read the primary key of table ${uri.table}`, uri, error);
  }
}

/**
 * Creates the URI's table (if it does not exist) with a column per field of `first`, typed from
 * its value, and the upsert key as primary key.
 */
export async function createTableFor(dialect: SqlDialect, connection: SqlConnection, uri: SqlUri, first: Record<string, unknown>): Promise<void> {
  const fields = Object.keys(first);
  for (const key of uri.key) if (!fields.includes(key)) throw sqlError(`cannot create table ${uri.table}: the first record has no key field "${key}"`, uri);
  const columns = fields.map((field) => `${dialect.quote(field)} ${dialect.columnType(first[field], uri.key.includes(field))}${uri.key.includes(field) ? ' NOT NULL' : ''}`);
  if (uri.key.length > 0) columns.push(`PRIMARY KEY (${uri.key.map((k) => dialect.quote(k)).join(', ')})`);
  try {
    await connection.query(`CREATE TABLE IF NOT EXISTS ${quotedTable(dialect, tableName(uri.table))} (${columns.join(', ')})`);
  } catch (error) {
    // Another subtask may have created it at the same moment: then the table is there.
    if ((await tableColumns(dialect, connection, uri)).length === 0) throw sqlError(`cannot create table ${uri.table}`, uri, error);
  }
}

/** The fields of `rows`, in first-seen order. */
export function fieldsOf(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const field in row) seen.add(field);
  return [...seen];
}

/** Throws naming the first of `fields` that is not one of `columns`. */
export function checkFields(fields: readonly string[], columns: readonly string[], uri: SqlUri): void {
  const known = new Set(columns);
  for (const field of fields) {
    if (!known.has(field)) throw sqlError(`the records have a field "${field}" that is not a column of table ${uri.table} (columns: ${columns.join(', ')})`, uri);
  }
}
