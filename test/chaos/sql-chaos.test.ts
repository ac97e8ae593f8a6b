/**
 * The chaos suite for the SQL sinks: word-count appending to MariaDB and window-count upserting
 * into PostgreSQL, at p=3 on 3 TaskManagers with 500 ms checkpoints, while TaskManagers and the
 * JobManager are killed with SIGKILL. The table must equal the failure-free reference exactly.
 * Short by default; `CHAOS_FULL=1` runs 500 k records per job with 5 TaskManager kills and a
 * JobManager kill. `CHAOS_RECORDS` and `CHAOS_TM_KILLS` override. Skips with the reason when a
 * database is unreachable, except under SLUICE_REQUIRE_SERVICES=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMIT_TABLE } from '../../connectors/sql/sql-sink-writer.ts';
import { databaseOrSkip, type TestDatabase } from '../unit/connectors/sql-test-databases.ts';
import { compareOutput, windowCountInput, wordCountInput, type Reference } from './chaos-inputs.ts';
import { runChaos } from '../../client/chaos/chaos-run.ts';

const FULL = process.env.CHAOS_FULL === '1';
const RECORDS = Number(process.env.CHAOS_RECORDS ?? (FULL ? 500_000 : 60_000));
const TM_KILLS = Number(process.env.CHAOS_TM_KILLS ?? (FULL ? 5 : 2));
/** Replay rate per source subtask, so that the job runs long enough for every fault. */
const RATE = Math.max(1_000, Math.ceil(RECORDS / 3 / (FULL ? 40 : 8)));

let postgres: TestDatabase | undefined;
let mysql: TestDatabase | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  postgres = await databaseOrSkip('postgres', 'sql-chaos.test.ts');
  mysql = await databaseOrSkip('mysql', 'sql-chaos.test.ts');
}, 60_000);

afterAll(async () => {
  await postgres?.cleanUp();
  await mysql?.cleanUp();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function inputDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sql-chaos-in-'));
  dirs.push(dir);
  return dir;
}

async function check(name: string, job: string, input: { glob: string; reference: Reference }, db: TestDatabase, table: string, out: string, order: string): Promise<void> {
  const result = await runChaos({
    job,
    parallelism: 3,
    taskManagers: 3,
    args: { in: `file:${input.glob}?rate=${RATE}`, out },
    outputs: [],
    checkpointIntervalMs: 500,
    taskManagerKills: TM_KILLS,
    killJobManager: true,
    seed: 42,
  });
  const rows = await db.rows(table, order);
  const diff = compareOutput(rows, input.reference);
  console.log(
    JSON.stringify({
      chaos: name,
      records: RECORDS,
      expectedRows: input.reference.size,
      tableRows: rows.length,
      taskManagerKills: result.taskManagerKills,
      jobManagerKills: result.jobManagerKills,
      restarts: result.final.restarts,
      ...diff,
    }),
  );
  await db.client.query(`DELETE FROM ${COMMIT_TABLE} WHERE job = ${db.dialect.placeholder(1)}`, [result.final.jobId]);
  expect(result.final.state, result.final.failure).toBe('FINISHED');
  expect(result.skipped).toBe(0);
  expect(result.taskManagerKills).toBe(TM_KILLS);
  expect(result.jobManagerKills).toBe(1);
  expect(diff).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  expect(rows).toHaveLength(input.reference.size);
}

describe(`SQL chaos: ${RECORDS} records per job, ${TM_KILLS} TaskManager kills and a JobManager kill`, () => {
  it('word-count appends exactly the failure-free counts to MariaDB', async ({ skip }) => {
    if (mysql === undefined) return skip();
    const table = mysql.table('chaos_word_counts');
    await check('sql-word-count', 'jobs/examples/word-count', wordCountInput(inputDir(), RECORDS), mysql, table, `${mysql.base}?table=${table}&create=true`, 'word');
  }, 900_000);

  it('window-count upserts exactly the failure-free window counts into PostgreSQL', async ({ skip }) => {
    if (postgres === undefined) return skip();
    const table = postgres.table('chaos_window_counts');
    const out = `${postgres.base}?table=${table}&create=true&mode=upsert&key=key,window_start`;
    await check('sql-window-count', 'jobs/examples/window-count', windowCountInput(inputDir(), RECORDS), postgres, table, out, 'key, window_start');
  }, 900_000);
});
