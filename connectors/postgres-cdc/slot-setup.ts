/**
 * The replication slot of a change stream and its publication: created with a consistent
 * snapshot of the table, checked on restore, dropped when the job ends.
 */
import pg from 'pg';
import { cdcError } from './cdc-errors.ts';
import { clientConfig, type CdcUri } from './cdc-uri.ts';
import { jsonRow } from './json-row.ts';
import { lsnValue } from './lsn.ts';

/** A new slot's starting point and the table's rows at exactly that point. */
export interface SlotSnapshot {
  /** The slot's consistent point: the stream holds exactly the changes committed after it. */
  readonly consistentLsn: string;
  readonly rows: Record<string, unknown>[];
}

/**
 * Creates publication and slot `slot` for the table (dropping a slot of that name left by an
 * attempt that never completed a checkpoint) and reads the table in the slot's exported
 * snapshot, so that snapshot and stream neither miss nor repeat a change.
 */
export async function createSlotWithSnapshot(uri: CdcUri, slot: string): Promise<SlotSnapshot> {
  const admin = await connect(uri, 'connecting');
  try {
    const table = await checkedTable(admin, uri);
    await dropSlot(admin, uri, slot);
    await admin.query(`CREATE PUBLICATION ${pg.escapeIdentifier(slot)} FOR TABLE ${table} WITH (publish = 'insert, update, delete')`).catch((error: unknown) => {
      throw cdcError(`creating publication ${slot}`, uri, error);
    });
    const replication = await connect(uri, 'opening a replication connection', true);
    try {
      const created = await replication.query(`CREATE_REPLICATION_SLOT ${pg.escapeIdentifier(slot)} LOGICAL pgoutput EXPORT_SNAPSHOT`).catch((error: unknown) => {
        throw cdcError(`creating replication slot ${slot}`, uri, error);
      });
      const { consistent_point: consistentLsn, snapshot_name: snapshotName } = created.rows[0] as { consistent_point: string; snapshot_name: string };
      await admin.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await admin.query(`SET TRANSACTION SNAPSHOT ${pg.escapeLiteral(snapshotName)}`);
      const result = await admin.query(`SELECT * FROM ${table}`);
      await admin.query('COMMIT');
      const columns = result.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
      return { consistentLsn, rows: result.rows.map((row: Record<string, unknown>) => jsonRow(columns, row)) };
    } finally {
      await replication.end().catch(() => undefined);
    }
  } catch (error) {
    throw error instanceof Error && error.message.startsWith('postgres change stream') ? error : cdcError('reading the snapshot', uri, error);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Checks, on restore, that slot `slot` still exists and has not been acknowledged beyond `lsn`,
 * so that the changes after `lsn` can be replayed (throws saying which is not so), and takes the
 * slot from a connection of an older attempt that still holds it.
 */
export async function checkSlot(uri: CdcUri, slot: string, lsn: string): Promise<void> {
  const client = await connect(uri, 'connecting');
  try {
    await checkedTable(client, uri);
    const result = await client.query('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    const row = result.rows[0] as { lsn: string | null } | undefined;
    if (row === undefined) throw cdcError('restoring', uri, `replication slot ${slot} no longer exists, so the changes after ${lsn} are lost`);
    // An acknowledgement reports the position after `lsn`, its last byte: lsn + 1.
    if (row.lsn !== null && lsnValue(row.lsn) > lsnValue(lsn) + 1n) {
      throw cdcError('restoring', uri, `replication slot ${slot} was acknowledged up to ${row.lsn}, beyond this checkpoint's ${lsn}`);
    }
    await releaseSlot(client, uri, slot);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops slot `slot` and its publication, ending a connection that still uses the slot. */
export async function dropSlotAndPublication(uri: CdcUri, slot: string): Promise<void> {
  const client = await connect(uri, 'connecting');
  try {
    await dropSlot(client, uri, slot);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const RELEASE_ATTEMPTS = 100;
const RELEASE_RETRY_MS = 100;

async function dropSlot(client: pg.Client, uri: CdcUri, slot: string): Promise<void> {
  await releaseSlot(client, uri, slot);
  await client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]).catch((error: unknown) => {
    throw cdcError(`dropping replication slot ${slot}`, uri, error);
  });
  await client.query(`DROP PUBLICATION IF EXISTS ${pg.escapeIdentifier(slot)}`);
}

/**
 * Ends the connection that still reads slot `slot`, if any (an older attempt of the job, cut off
 * or not yet cancelled), and waits until the server has let the slot go.
 */
async function releaseSlot(client: pg.Client, uri: CdcUri, slot: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const result = await client.query('SELECT active_pid AS pid, pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL', [slot]);
    if (result.rows.length === 0) return;
    if (attempt === RELEASE_ATTEMPTS) throw cdcError(`releasing replication slot ${slot}`, uri, `the slot is still in use by server process ${String((result.rows[0] as { pid: number }).pid)}`);
    await new Promise((resolve) => setTimeout(resolve, RELEASE_RETRY_MS));
  }
}

/** The table of `uri`, quoted for SQL; throws naming it when it does not exist. */
async function checkedTable(client: pg.Client, uri: CdcUri): Promise<string> {
  const result = await client.query('SELECT to_regclass($1)::text AS name', [uri.table]).catch((error: unknown) => {
    throw cdcError('looking up the table', uri, error);
  });
  const name = (result.rows[0] as { name: string | null } | undefined)?.name ?? null;
  if (name === null) throw cdcError('looking up the table', uri, `table "${uri.table}" does not exist (?table=)`);
  return name;
}

async function connect(uri: CdcUri, while_: string, replication = false): Promise<pg.Client> {
  const client = new pg.Client({ ...clientConfig(uri), ...(replication && { replication: 'database' }) });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw cdcError(while_, uri, error);
  }
  return client;
}
