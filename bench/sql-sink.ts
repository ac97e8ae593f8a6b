/**
 * The PostgreSQL append sink with 1 s checkpoints against a hand-written loop of multi-row INSERTs
 * (1000 rows a statement, the same columns) on one connection, in the same run, against this
 * machine's PostgreSQL. The sink's rate counts from submission to FINISHED, deployment and the
 * last checkpoint's commit included. Prints one JSON line.
 *
 * Run with `node bin/run-ts.js bench/sql-sink.ts`; `BENCH_RECORDS` sets the record count and
 * `BENCH_POSTGRES` the database (default `postgres://postgres@127.0.0.1:5432/test`).
 */
import pg from 'pg';
import { COMMIT_TABLE } from '../connectors/sql/sql-sink-writer.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 500_000);
const BASE = process.env.BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_RATIO = 0.5;
const BATCH = 1000;
const sinkTable = `bench_sql_sink_${process.pid}`;
const rawTable = `bench_sql_raw_${process.pid}`;
const perSecond = (count: number, ms: number): number => round((count / ms) * 1000);

const client = new pg.Client({ connectionString: BASE });
await client.connect();

/** Inserts RECORDS rows into `rawTable` in multi-row statements; returns records/s. */
async function rawInsert(): Promise<number> {
  const statement = (rows: number): string =>
    `INSERT INTO ${rawTable} (i, key, value) VALUES ${Array.from({ length: rows }, (_, r) => `($${r * 3 + 1}, $${r * 3 + 2}, $${r * 3 + 3})`).join(', ')}`;
  const full = statement(BATCH);
  const start = performance.now();
  for (let i = 0; i < RECORDS; i += BATCH) {
    const count = Math.min(BATCH, RECORDS - i);
    const params: unknown[] = [];
    for (let j = i; j < i + count; j++) params.push(j, `k${j % 100}`, j * 0.5);
    await client.query(count === BATCH ? full : statement(count), params);
  }
  return perSecond(RECORDS, performance.now() - start);
}

async function rowCount(table: string): Promise<number> {
  return Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
}

try {
  for (const table of [sinkTable, rawTable]) await client.query(`CREATE TABLE ${table} (i BIGINT, key TEXT, value DOUBLE PRECISION)`);
  const rawRate = await rawInsert();
  log(`raw multi-row INSERT: ${rawRate} records/s`);
  const sink = await runJobOnCluster({
    cluster: { taskManagers: 1, slotsPerTaskManager: 1 },
    job: benchJob('sql-write'),
    parallelism: 1,
    args: { count: String(RECORDS), out: `${BASE}?table=${sinkTable}` },
    timeoutMs: 600_000,
    submit: { settings: { checkpointIntervalMs: 1_000 } },
  });
  const written = await rowCount(sinkTable);
  if (written !== RECORDS || (await rowCount(rawTable)) !== RECORDS) throw new Error(`the tables hold ${written} and ${await rowCount(rawTable)} rows, not ${RECORDS}`);
  const sinkRate = perSecond(RECORDS, sink.wallMs);
  await client.query(`DELETE FROM ${COMMIT_TABLE} WHERE job = $1`, [sink.status.jobId]);
  emit({
    bench: 'sql-sink',
    database: 'postgres',
    records: RECORDS,
    checkpointIntervalMs: 1_000,
    checkpoints: sink.status.checkpoints?.completed,
    sluiceRecordsPerSec: sinkRate,
    rawClientRecordsPerSec: rawRate,
    ratio: round(sinkRate / rawRate, 2),
    target: TARGET_RATIO,
    pass: sinkRate / rawRate >= TARGET_RATIO,
  });
} finally {
  for (const table of [sinkTable, rawTable]) await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.end();
}
process.exit(0);
