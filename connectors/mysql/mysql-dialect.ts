/**
 * The MySQL/MariaDB dialect of the SQL connectors, on a `mysql2` pool.
 */
import mysql from 'mysql2/promise';
import type { SqlClient, SqlConnection, SqlResult } from '../sql/sql-client.ts';
import type { SqlDialect, TableName } from '../sql/sql-dialect.ts';
import type { SqlUri } from '../sql/sql-uri.ts';

/** The result of `query`: rows for a SELECT, a header with `affectedRows` otherwise. */
function resultOf(result: unknown): SqlResult {
  if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], affected: 0 };
  return { rows: [], affected: (result as { affectedRows?: number }).affectedRows ?? 0 };
}

/** Adapts a `mysql2` pool or connection to `SqlConnection` (client-side escaping, one round trip per statement). */
function connectionOf(queryable: mysql.Pool | mysql.PoolConnection): SqlConnection {
  return {
    async query(sql: string, params: readonly unknown[] = []): Promise<SqlResult> {
      const [result] = await queryable.query(sql, params as unknown[]);
      return resultOf(result);
    },
  };
}

/** A `mysql2` pool as a `SqlClient`. */
function mysqlClient(uri: SqlUri): SqlClient {
  const pool = mysql.createPool({
    host: uri.host,
    port: uri.port,
    user: uri.user,
    password: uri.password,
    database: uri.database,
    connectionLimit: 4,
    connectTimeout: 10_000,
    charset: 'utf8mb4',
  });
  pool.on('connection', (connection) => connection.on('error', () => undefined));
  const direct = connectionOf(pool);
  return {
    query: direct.query,
    async transaction<T>(work: (connection: SqlConnection) => Promise<T>): Promise<T> {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const result = await work(connectionOf(connection));
        await connection.commit();
        connection.release();
        return result;
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        connection.destroy();
        throw error;
      }
    },
    close: () => pool.end(),
  };
}

/** MySQL/MariaDB: `?` placeholders, `ON DUPLICATE KEY UPDATE`, the URI's database by default. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  maxParameters: 65_535,
  connect: mysqlClient,
  quote: (identifier) => `\`${identifier.replace(/`/g, '``')}\``,
  placeholder: () => '?',
  columnsQuery: (table: TableName) => ({
    sql: `SELECT column_name AS column_name, data_type AS data_type FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? ORDER BY ordinal_position`,
    params: [table.schema ?? null, table.name],
  }),
  primaryKeyQuery: (table: TableName) => ({
    sql: `SELECT column_name AS column_name FROM information_schema.key_column_usage WHERE constraint_name = 'PRIMARY' AND table_schema = COALESCE(?, DATABASE()) AND table_name = ? ORDER BY ordinal_position`,
    params: [table.schema ?? null, table.name],
  }),
  upsertClause(columns, key) {
    const quote = mysqlDialect.quote;
    const updates = columns.filter((c) => !key.includes(c)).map((c) => `${quote(c)} = VALUES(${quote(c)})`);
    const first = quote(key[0] as string);
    return ` ON DUPLICATE KEY UPDATE ${updates.length === 0 ? `${first} = ${first}` : updates.join(', ')}`;
  },
  columnType(value, isKey) {
    if (typeof value === 'number' || typeof value === 'bigint') return 'DOUBLE';
    if (typeof value === 'boolean') return 'BOOLEAN';
    if (typeof value === 'object' && value !== null) return 'JSON';
    return isKey ? 'VARCHAR(255)' : 'TEXT';
  },
  createCommitTable: (name) =>
    `CREATE TABLE IF NOT EXISTS ${name} (job VARCHAR(200) NOT NULL, operator VARCHAR(200) NOT NULL, subtask INT NOT NULL, checkpoint_id BIGINT NOT NULL, ` +
    `committed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (job, operator, subtask, checkpoint_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  insertMarker: (name) => `INSERT IGNORE INTO ${name} (job, operator, subtask, checkpoint_id) VALUES (?, ?, ?, ?)`,
};
