/**
 * The SQL sinks exactly once on real processes: word-count appending to MariaDB and window-count
 * upserting into PostgreSQL through a TaskManager SIGKILL, and window-count through a cut of the
 * connection to PostgreSQL (a TCP proxy). The tables equal the failure-free reference row for row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMIT_TABLE } from '../../connectors/sql/sql-sink-writer.ts';
import { compareOutput, windowCountInput, wordCountInput } from '../chaos/chaos-inputs.ts';
import { MiniCluster } from '../support/mini-cluster.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait-for.ts';
import { databaseOrSkip, type TestDatabase } from '../unit/connectors/sql-test-databases.ts';

const RECORDS = 20_000;
const SETTINGS = { checkpointIntervalMs: 200, restartStrategy: 'fixed-delay:attempts=200,delay=200' };

let postgres: TestDatabase | undefined;
let mysql: TestDatabase | undefined;
let inputs: string;
const jobs: { db: TestDatabase; jobId: string }[] = [];

beforeAll(async () => {
  postgres = await databaseOrSkip('postgres', 'sql-exactly-once.test.ts');
  mysql = await databaseOrSkip('mysql', 'sql-exactly-once.test.ts');
  inputs = mkdtempSync(join(tmpdir(), 'sluice-sql-eo-'));
}, 60_000);

afterAll(async () => {
  for (const { db, jobId } of jobs) await db.client.query(`DELETE FROM ${COMMIT_TABLE} WHERE job = ${db.dialect.placeholder(1)}`, [jobId]);
  await postgres?.cleanUp();
  await mysql?.cleanUp();
  rmSync(inputs, { recursive: true, force: true });
});

describe('SQL sinks, exactly once', () => {
  let cluster: MiniCluster | undefined;

  beforeEach(async () => {
    cluster = await MiniCluster.start({ taskManagers: 3, slotsPerTaskManager: 1, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1200'] });
  }, 60_000);

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  const checkpoints = (jobId: string, count: number): Promise<unknown> =>
    waitFor(async () => ((await cluster!.client.status(jobId)).checkpoints?.completed ?? 0) >= count || undefined, `${count} checkpoints`, 90_000);

  const run = async (db: TestDatabase, job: string, input: string, out: string): Promise<string> => {
    const jobId = await cluster!.submit(job, 3, { in: `file:${input}?rate=1500`, out }, { settings: SETTINGS });
    jobs.push({ db, jobId });
    return jobId;
  };

  const finished = async (jobId: string): Promise<void> => {
    const final = await cluster!.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 180_000);
    expect(final.state, final.failure).toBe('FINISHED');
    expect(final.restarts).toBeGreaterThanOrEqual(1);
  };

  it('word-count appends exactly the reference counts to MariaDB through a TaskManager SIGKILL', async ({ skip }) => {
    if (mysql === undefined) return skip();
    const { glob, reference } = wordCountInput(mkdtempSync(join(inputs, 'wc-')), RECORDS);
    const table = mysql.table('word_counts');
    const jobId = await run(mysql, 'jobs/examples/word-count', glob, `${mysql.base}?table=${table}&create=true`);
    await checkpoints(jobId, 2);
    await cluster!.killTaskManager(0);
    await cluster!.local.addTaskManager();
    await finished(jobId);
    const rows = await mysql.rows(table, 'word');
    expect(compareOutput(rows, reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
    expect(rows).toHaveLength(reference.size);
  }, 300_000);

  it('window-count upserts exactly the reference counts into PostgreSQL through a TaskManager SIGKILL', async ({ skip }) => {
    if (postgres === undefined) return skip();
    const { glob, reference } = windowCountInput(mkdtempSync(join(inputs, 'win-')), RECORDS);
    const table = postgres.table('window_counts');
    const jobId = await run(postgres, 'jobs/examples/window-count', glob, `${postgres.base}?table=${table}&create=true&mode=upsert&key=key,window_start`);
    await checkpoints(jobId, 3);
    await cluster!.killTaskManager(1);
    await cluster!.local.addTaskManager();
    await finished(jobId);
    const rows = await postgres.rows(table, 'key, window_start');
    expect(compareOutput(rows, reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  }, 300_000);

  it('window-count into PostgreSQL fails over when its connection is cut and ends exact once it is back', async ({ skip }) => {
    if (postgres === undefined) return skip();
    const proxy = await TcpProxy.start('127.0.0.1:5432');
    try {
      const { glob, reference } = windowCountInput(mkdtempSync(join(inputs, 'cut-')), RECORDS);
      const table = postgres.table('window_counts_cut');
      await postgres.client.query(`CREATE TABLE ${table} (key TEXT, window_start DOUBLE PRECISION, window_end DOUBLE PRECISION, count DOUBLE PRECISION, PRIMARY KEY (key, window_start))`);
      const jobId = await run(postgres, 'jobs/examples/window-count', glob, `postgres://postgres@${proxy.address}/test?table=${table}&mode=upsert&key=key,window_start`);
      await checkpoints(jobId, 3);
      await proxy.cut();
      try {
        await waitFor(async () => ((await cluster!.client.status(jobId)).restarts ?? 0) >= 1 || undefined, 'a restart while PostgreSQL is cut off', 90_000);
      } finally {
        await proxy.restore();
      }
      const final = await cluster!.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 180_000);
      expect(final.state, final.failure).toBe('FINISHED');
      expect(final.lastFailure).toContain(`postgres://postgres@${proxy.address}/test?table=${table}`);
      const rows = await postgres.rows(table, 'key, window_start');
      expect(compareOutput(rows, reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
    } finally {
      await proxy.stop();
    }
  }, 300_000);
});
