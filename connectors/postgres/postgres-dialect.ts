/**
 * The PostgreSQL dialect of the SQL connectors, on a `pg` pool.
 */
import pg from 'pg';
import type { SqlClient, SqlConnection, SqlResult } from '../sql/sql-client.ts';
import type { SqlDialect, TableName } from '../sql/sql-dialect.ts';
import type { SqlUri } from '../sql/sql-uri.ts';

/** Adapts a `pg` client or pool to `SqlConnection`. */
function connectionOf(queryable: pg.Pool | pg.PoolClient): SqlConnection {
  return {
    async query(sql: string, params: readonly unknown[] = []): Promise<SqlResult> {
      const result = await queryable.query(sql, params as unknown[]);
      return { rows: result.rows as Record<string, unknown>[], affected: result.rowCount ?? 0 };
    },
  };
}

/** A `pg` pool as a `SqlClient`. Idle connections that break are dropped quietly: the next statement fails instead. */
function postgresClient(uri: SqlUri): SqlClient {
  const pool = new pg.Pool({
    host: uri.host,
    port: uri.port,
    user: uri.user,
    password: uri.password,
    database: uri.database,
    max: 4,
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', () => undefined);
  const direct = connectionOf(pool);
  return {
    query: direct.query,
    async transaction<T>(work: (connection: SqlConnection) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      client.on('error', () => undefined);
      try {
        await client.query('BEGIN');
        const result = await work(connectionOf(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release(true);
        throw error;
      }
    },
    close: () => pool.end(),
  };
}

/** PostgreSQL: `$n` placeholders, `ON CONFLICT ... DO UPDATE`, the current schema by default. */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  maxParameters: 65_535,
  connect: postgresClient,
  quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`,
  placeholder: (index) => `$${index}`,
  columnsQuery: (table: TableName) => ({
    sql: `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2 ORDER BY ordinal_position`,
    params: [table.schema ?? null, table.name],
  }),
  primaryKeyQuery: (table: TableName) => ({
    sql:
      `SELECT k.column_name FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k ` +
      `ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name ` +
      `WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = COALESCE($1, current_schema()) AND c.table_name = $2 ORDER BY k.ordinal_position`,
    params: [table.schema ?? null, table.name],
  }),
  upsertClause(columns, key) {
    const quote = postgresDialect.quote;
    const updates = columns.filter((c) => !key.includes(c)).map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`);
    const target = key.map(quote).join(', ');
    return updates.length === 0 ? ` ON CONFLICT (${target}) DO NOTHING` : ` ON CONFLICT (${target}) DO UPDATE SET ${updates.join(', ')}`;
  },
  columnType(value) {
    if (typeof value === 'number' || typeof value === 'bigint') return 'DOUBLE PRECISION';
    if (typeof value === 'boolean') return 'BOOLEAN';
    if (typeof value === 'object' && value !== null) return 'JSONB';
    return 'TEXT';
  },
  createCommitTable: (name) =>
    `CREATE TABLE IF NOT EXISTS ${name} (job TEXT NOT NULL, operator TEXT NOT NULL, subtask INTEGER NOT NULL, checkpoint_id BIGINT NOT NULL, ` +
    `committed_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (job, operator, subtask, checkpoint_id))`,
  insertMarker: (name) => `INSERT INTO ${name} (job, operator, subtask, checkpoint_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
};
