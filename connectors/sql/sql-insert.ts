/**
 * Multi-row INSERT (or upsert) statements of a batch of records, as few as the dialect's
 * parameter limit allows, never one per record.
 */
import type { SqlConnection } from './sql-client.ts';
import { quotedTable, tableName, type SqlDialect } from './sql-dialect.ts';
import type { SqlUri } from './sql-uri.ts';

/** The most rows one statement carries. */
const MAX_ROWS_PER_STATEMENT = 2_000;

/** A record field's value as a bind parameter: objects as JSON text, absent fields as NULL. */
export function sqlValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** In upsert mode, the last row of each key, in the order of those last rows; a statement may not touch one row twice. */
export function lastRowPerKey(rows: readonly Record<string, unknown>[], key: readonly string[]): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const id = JSON.stringify(key.map((k) => row[k] ?? null));
    byKey.delete(id);
    byKey.set(id, row);
  }
  return [...byKey.values()];
}

/** Writes `rows` into the URI's table through `columns`, in multi-row statements. */
export async function insertRows(dialect: SqlDialect, connection: SqlConnection, uri: SqlUri, columns: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  const perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxParameters / columns.length)));
  const head = `INSERT INTO ${quotedTable(dialect, tableName(uri.table))} (${columns.map((c) => dialect.quote(c)).join(', ')}) VALUES `;
  const tail = uri.mode === 'upsert' ? dialect.upsertClause(columns, uri.key) : '';
  let fullSql: string | undefined;
  for (let start = 0; start < rows.length; start += perStatement) {
    const count = Math.min(perStatement, rows.length - start);
    const sql = count === perStatement ? (fullSql ??= statement(dialect, head, tail, columns.length, count)) : statement(dialect, head, tail, columns.length, count);
    const params: unknown[] = new Array(count * columns.length);
    let p = 0;
    for (let r = start; r < start + count; r++) {
      const row = rows[r] as Record<string, unknown>;
      for (const column of columns) params[p++] = sqlValue(row[column]);
    }
    await connection.query(sql, params);
  }
}

function statement(dialect: SqlDialect, head: string, tail: string, width: number, count: number): string {
  const tuples: string[] = new Array(count);
  let index = 1;
  for (let r = 0; r < count; r++) {
    const marks: string[] = new Array(width);
    for (let c = 0; c < width; c++) marks[c] = dialect.placeholder(index++);
    tuples[r] = `(${marks.join(', ')})`;
  }
  return head + tuples.join(', ') + tail;
}
