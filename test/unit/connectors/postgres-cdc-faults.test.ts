/**
 * Faults of a PostgreSQL change stream, live: an unknown user (this server trusts every password,
 * so a failed authentication is a role it does not know), an unknown table and an unreachable
 * host each fail with one line naming the argument and never the password. Skips with the reason
 * when PostgreSQL is unavailable, and fails instead under SLUICE_REQUIRE_SERVICES=1.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { changeStreamSourceFromUri } from '../../../connectors/postgres-cdc/route.ts';
import type { CdcSplit } from '../../../connectors/postgres-cdc/cdc-split.ts';
import { PG, postgresCdcUnavailableReason, sql, uniqueTable } from './postgres-cdc-service.ts';

const unavailable = await postgresCdcUnavailableReason();
const required = process.env.SLUICE_REQUIRE_SERVICES === '1';
if (unavailable !== undefined && !required) console.log(`postgres-cdc-faults.test.ts skipped: ${unavailable}`);

const SECRET = 'not-to-be-logged';

/** The error of opening a change stream on `uri`. */
async function openError(uri: string, split?: CdcSplit): Promise<Error> {
  const source = changeStreamSourceFromUri('rules', uri)!;
  const reader = source.createReader({ jobId: `faults-${process.pid}`, operatorId: 'op-1', inputName: 'rules', subtaskIndex: 0, parallelism: 1, maxParallelism: 128 });
  reader.addSplits(split === undefined ? await source.enumerateSplits() : [split]);
  try {
    await reader.open();
  } catch (error) {
    return error as Error;
  } finally {
    await reader.close();
  }
  throw new Error(`opening ${uri} did not fail`);
}

describe.skipIf(unavailable !== undefined && !required)('PostgreSQL change stream faults (live)', () => {
  beforeAll(() => {
    if (unavailable !== undefined) throw new Error(`this test needs PostgreSQL (SLUICE_REQUIRE_SERVICES=1), but ${unavailable}`);
  });

  it('names the user whose authentication failed', async () => {
    const error = await openError(`postgres://no_such_user_${process.pid}:${SECRET}@${PG.host}:${PG.port}/${PG.database}?table=t&changes=true`);
    expect(error.message).toMatch(/^postgres change stream no_such_user_\d+@127\.0\.0\.1:5432\/test table "t": connecting: authentication failed for user "no_such_user_\d+"/);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('\n');
  });

  it('names a table that does not exist', async () => {
    const error = await openError(`postgres://${PG.user}:${SECRET}@${PG.host}:${PG.port}/${PG.database}?table=no_such_table_${process.pid}&changes=true`);
    expect(error.message).toBe(`postgres change stream postgres@127.0.0.1:5432/test table "no_such_table_${process.pid}": looking up the table: table "no_such_table_${process.pid}" does not exist (?table=)`);
  });

  it('names a database that does not exist', async () => {
    const error = await openError(`postgres://${PG.user}@${PG.host}:${PG.port}/no_such_db?table=t&changes=true`);
    expect(error.message).toContain('database "no_such_db" does not exist');
  });

  it('names the host and port it cannot reach', async () => {
    const error = await openError(`postgres://${PG.user}:${SECRET}@127.0.0.1:1/${PG.database}?table=t&changes=true`);
    expect(error.message).toBe('postgres change stream postgres@127.0.0.1:1/test table "t": connecting: cannot reach 127.0.0.1:1 (ECONNREFUSED)');
  });

  it('refuses to restore from a checkpoint whose slot is gone, naming slot and position', async () => {
    const table = uniqueTable('cdc_fault');
    await sql(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    try {
      const slot = `sluice_gone_${process.pid}`;
      const error = await openError(`postgres://${PG.user}@${PG.host}:${PG.port}/${PG.database}?table=${table}&changes=true`, { id: 'x', table, slot, lsn: '0/16B3748' });
      expect(error.message).toContain(`restoring: replication slot ${slot} no longer exists, so the changes after 0/16B3748 are lost`);
    } finally {
      await sql(`DROP TABLE ${table}`);
    }
  });
});
