/**
 * A PostgreSQL change stream on real processes: a job forwards `?changes=true` of a table to a
 * file output while the test changes the table, SIGKILLs the TaskManager that reads it and cuts
 * the replication connection; the committed `{op, row}` records equal the table's snapshot and
 * every change after it, each exactly once. Cancelling the job drops its slot. Skips with the
 * reason when PostgreSQL or logical decoding is unavailable, and fails instead under
 * SLUICE_REQUIRE_SERVICES=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';
import { changesUri, existingSlots, postgresCdcUnavailableReason, sql, uniqueTable } from '../unit/connectors/postgres-cdc-service.ts';

const unavailable = await postgresCdcUnavailableReason();
const required = process.env.SLUICE_REQUIRE_SERVICES === '1';
if (unavailable !== undefined && !required) console.log(`postgres-cdc-exactly-once.test.ts skipped: ${unavailable}`);

const JOB = 'test/jobs/forward-input';

interface Change {
  readonly op: string;
  readonly row: { id: number; seq: number | null; v: string | null };
}

describe.skipIf(unavailable !== undefined && !required)('PostgreSQL change stream, exactly once on real processes', () => {
  let cluster: MiniCluster | undefined;
  let dir: string | undefined;
  let table: string | undefined;

  beforeAll(() => {
    if (unavailable !== undefined) throw new Error(`this test needs PostgreSQL with logical decoding (SLUICE_REQUIRE_SERVICES=1), but ${unavailable}`);
  });

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    if (table !== undefined) await sql(`DROP TABLE IF EXISTS ${table}`);
  });

  it('emits the snapshot and every change once through a TaskManager SIGKILL and a dropped connection, and drops its slot on cancel', async () => {
    table = uniqueTable('cdc_it');
    dir = mkdtempSync(join(tmpdir(), 'sluice-pg-cdc-'));
    const out = join(dir, 'out');
    await sql(`CREATE TABLE ${table} (id int PRIMARY KEY, seq int, v text)`);
    await sql(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
    const expected: Change[] = [];
    let seq = 0;
    for (let id = 1; id <= 5; id++) {
      await sql(`INSERT INTO ${table} VALUES ($1, $2, 'snapshot')`, [id, ++seq]);
      expected.push({ op: 'insert', row: { id, seq, v: 'snapshot' } });
    }
    const rows = new Map<number, Change['row']>(expected.map((c) => [c.row.id, c.row]));
    let nextId = 6;
    /** Makes `n` changes, cycling insert, update, delete, and records what they should emit. */
    const change = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const kind = i % 3;
        if (kind === 0 || rows.size === 0) {
          const row = { id: nextId++, seq: ++seq, v: 'inserted' };
          await sql(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [row.id, row.seq, row.v]);
          rows.set(row.id, row);
          expected.push({ op: 'insert', row });
        } else if (kind === 1) {
          const id = [...rows.keys()][0] as number;
          const row = { id, seq: ++seq, v: 'updated' };
          await sql(`UPDATE ${table} SET seq = $2, v = $3 WHERE id = $1`, [id, row.seq, row.v]);
          rows.set(id, row);
          expected.push({ op: 'update', row });
        } else {
          const id = [...rows.keys()].at(-1) as number;
          const row = rows.get(id)!;
          await sql(`DELETE FROM ${table} WHERE id = $1`, [id]);
          rows.delete(id);
          expected.push({ op: 'delete', row });
        }
      }
    };
    const committed = (): Change[] => readCommittedOutput(out) as unknown as Change[];
    const checkpoints = async (jobId: string, more: number): Promise<void> => {
      const base = (await cluster!.client.status(jobId)).checkpoints?.completed ?? 0;
      await waitFor(async () => ((await cluster!.client.status(jobId)).checkpoints?.completed ?? 0) >= base + more, `${more} more checkpoints`, 90_000);
    };

    cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 1, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1200'] });
    const jobId = await cluster.submit(JOB, 1, { in: changesUri(table), out: `file:${out}` }, { settings: { checkpointIntervalMs: 200 } });
    await waitFor(() => committed().length >= 5, 'the snapshot committed', 90_000);
    const [publication] = await sql<{ pubname: string }>('SELECT pubname FROM pg_publication_tables WHERE tablename = $1', [table]);
    const slot = publication!.pubname;
    expect(await existingSlots([slot])).toEqual([slot]);

    await change(30);
    await waitFor(() => committed().length >= 20, 'changes committed before the kill', 90_000);
    await change(30);
    await cluster.killTaskManager(0);
    await change(30);
    await cluster.local.addTaskManager();
    await waitFor(() => committed().length >= expected.length, 'every change committed after the restart', 120_000);

    const [active] = await sql<{ pid: number }>('SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL', [slot]);
    await sql('SELECT pg_terminate_backend($1)', [active!.pid]);
    await change(30);
    await waitFor(() => committed().length >= expected.length, 'every change committed after the connection dropped', 120_000);
    await checkpoints(jobId, 3);

    const status = await cluster.client.status(jobId);
    expect(status.restarts).toBeGreaterThanOrEqual(2);
    const emitted = committed();
    const bySeq = (a: Change, b: Change): number => (a.row.seq ?? 0) - (b.row.seq ?? 0) || a.op.localeCompare(b.op);
    expect([...emitted].sort(bySeq)).toEqual([...expected].sort(bySeq));

    await cluster.client.cancel(jobId);
    await cluster.waitForState(jobId, ['CANCELED']);
    await waitFor(async () => (await existingSlots([slot])).length === 0, `slot ${slot} dropped`);
    expect(await sql('SELECT pubname FROM pg_publication WHERE pubname = $1', [slot])).toEqual([]);
  }, 300_000);
});
