/**
 * Test helper: the machine's PostgreSQL for change-stream tests. Says why it cannot be used
 * (absent, or wal_level not logical), and gives each test its own table.
 */
import pg from 'pg';

/** The test database, as the change-stream URIs name it. */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } as const;

/** Why PostgreSQL cannot serve change-stream tests, or undefined when it can. */
export async function postgresCdcUnavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({ ...PG, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query('SHOW wal_level');
    const level = (result.rows[0] as { wal_level: string }).wal_level;
    return level === 'logical' ? undefined : `PostgreSQL at ${PG.host}:${PG.port} has wal_level = ${level}, not logical (.ci/run sets it)`;
  } catch (error) {
    return `PostgreSQL at ${PG.host}:${PG.port} database ${PG.database} is not reachable: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `sql` on the test database. */
export async function sql<R = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client(PG);
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/** A table name no other test uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}

/** The change-stream URI of `table`. */
export function changesUri(table: string, extra = ''): string {
  return `postgres://${PG.user}@${PG.host}:${PG.port}/${PG.database}?table=${table}&changes=true${extra}`;
}

/** The names of the replication slots that exist now, among `names`. */
export async function existingSlots(names: readonly string[]): Promise<string[]> {
  const rows = await sql<{ slot_name: string }>('SELECT slot_name FROM pg_replication_slots WHERE slot_name = ANY($1)', [names]);
  return rows.map((r) => r.slot_name);
}

/** The slot's confirmed flush position, or undefined when it does not exist. */
export async function confirmedFlush(slot: string): Promise<string | undefined> {
  const rows = await sql<{ lsn: string | null }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  return rows[0]?.lsn ?? undefined;
}
