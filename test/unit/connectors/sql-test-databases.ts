/**
 * Test helper: the PostgreSQL and MariaDB servers of this machine, reached or skipped with the
 * reason (failing instead under SLUICE_REQUIRE_SERVICES=1), and a table name of their own per test.
 */
import { mysqlDialect } from '../../../connectors/mysql/mysql-dialect.ts';
import { postgresDialect } from '../../../connectors/postgres/postgres-dialect.ts';
import type { SqlClient } from '../../../connectors/sql/sql-client.ts';
import type { SqlDialect } from '../../../connectors/sql/sql-dialect.ts';
import { parseSqlUri } from '../../../connectors/sql/sql-uri.ts';

/** One test database: its URI without parameters, dialect, and a pool for the test's own statements. */
export interface TestDatabase {
  readonly name: 'postgres' | 'mysql';
  readonly base: string;
  readonly dialect: SqlDialect;
  readonly client: SqlClient;
  /** A table name no other test uses. */
  table(prefix: string): string;
  /** Every row of `table` ordered by `order`, values as the driver returns them. */
  rows(table: string, order: string): Promise<Record<string, unknown>[]>;
  /** Drops the tables handed out by `table` and closes the pool. */
  cleanUp(): Promise<void>;
}

const BASES = { postgres: 'postgres://postgres@127.0.0.1:5432/test', mysql: 'mysql://root@127.0.0.1:3306/test' } as const;

let counter = 0;

/** The database `name`, or undefined after printing why it is unreachable (throws under SLUICE_REQUIRE_SERVICES=1). */
export async function databaseOrSkip(name: 'postgres' | 'mysql', file: string): Promise<TestDatabase | undefined> {
  const base = BASES[name];
  const dialect = name === 'postgres' ? postgresDialect : mysqlDialect;
  const client = dialect.connect(parseSqlUri(`${base}?table=probe`, 'probe'));
  try {
    await client.query('SELECT 1');
  } catch (error) {
    await client.close().catch(() => undefined);
    const reason = `${name} at ${base} is unreachable (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.SLUICE_REQUIRE_SERVICES === '1') throw new Error(`${file} needs ${reason}`);
    console.log(`${file} skipped: ${reason}`);
    return undefined;
  }
  const tables: string[] = [];
  return {
    name,
    base,
    dialect,
    client,
    table(prefix) {
      const table = `${prefix}_${process.pid}_${Date.now()}_${counter++}`;
      tables.push(table);
      return table;
    },
    async rows(table, order) {
      return (await client.query(`SELECT * FROM ${dialect.quote(table)} ORDER BY ${order}`)).rows;
    },
    async cleanUp() {
      for (const table of tables) await client.query(`DROP TABLE IF EXISTS ${dialect.quote(table)}`);
      await client.close();
    },
  };
}
