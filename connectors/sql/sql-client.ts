/**
 * What the SQL connectors need of a database client, so that one sink and one source serve
 * PostgreSQL and MySQL/MariaDB; each dialect adapts its driver's pool to it.
 */

/** The result of one statement. */
export interface SqlResult {
  readonly rows: Record<string, unknown>[];
  /** Rows inserted, updated or deleted. */
  readonly affected: number;
}

/** A connection to run statements on. */
export interface SqlConnection {
  query(sql: string, params?: readonly unknown[]): Promise<SqlResult>;
}

/** A pool of connections to one database. */
export interface SqlClient extends SqlConnection {
  /** Runs `work` in one database transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (connection: SqlConnection) => Promise<T>): Promise<T>;
  /** Closes every connection. */
  close(): Promise<void>;
}
