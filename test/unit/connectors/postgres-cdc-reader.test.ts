/**
 * Live tests of the PostgreSQL change stream against the machine's PostgreSQL: snapshot, then
 * changes; no loss or repeat at the snapshot's boundary; checkpoints that resume exactly; the
 * acknowledgement held back until a checkpoint completes; slots dropped when the job ends.
 * Skips with the reason when PostgreSQL or logical decoding is unavailable, and fails instead
 * under SLUICE_REQUIRE_SERVICES=1.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceReader } from '../../../common/connector/source.ts';
import type { CdcSplit } from '../../../connectors/postgres-cdc/cdc-split.ts';
import type { ChangeRecord } from '../../../connectors/postgres-cdc/change-stream.ts';
import { lsnValue } from '../../../connectors/postgres-cdc/lsn.ts';
import { changeStreamSourceFromUri } from '../../../connectors/postgres-cdc/route.ts';
import { dropJobSlots } from '../../../connectors/postgres-cdc/slot-janitor.ts';
import { slotName } from '../../../connectors/postgres-cdc/slot-name.ts';
import { waitFor } from '../../support/wait-for.ts';
import { CapturingOutput } from './drain-reader.ts';
import { changesUri, confirmedFlush, PG, existingSlots, postgresCdcUnavailableReason, sql, uniqueTable } from './postgres-cdc-service.ts';

const unavailable = await postgresCdcUnavailableReason();
const required = process.env.SLUICE_REQUIRE_SERVICES === '1';
if (unavailable !== undefined && !required) console.log(`postgres-cdc-reader.test.ts skipped: ${unavailable}`);

/** A reader of `table`'s change stream as subtask 0 of job `jobId`, with the source's one split (or `split`). */
async function readerOf(table: string, jobId: string, split?: CdcSplit): Promise<SourceReader<ChangeRecord>> {
  const source = changeStreamSourceFromUri('rules', changesUri(table));
  if (source === undefined) throw new Error('not routed to the change stream');
  const reader = source.createReader({ jobId, operatorId: 'op-1', inputName: 'rules', subtaskIndex: 0, parallelism: 1, maxParallelism: 128 }) as unknown as SourceReader<ChangeRecord>;
  reader.addSplits(split === undefined ? await source.enumerateSplits() : [split]);
  await reader.open();
  return reader;
}

/** Polls `reader` until `output` holds `count` records, `maxRecords` per poll. */
async function pollUntil(reader: SourceReader<ChangeRecord>, output: CapturingOutput<ChangeRecord>, count: number, maxRecords = 100): Promise<void> {
  await waitFor(async () => {
    while (output.records.length < count && reader.pollNext(output, Math.min(maxRecords, count - output.records.length)) === 'more');
    if (output.records.length >= count) return true;
    await Promise.race([reader.available(), new Promise((r) => setTimeout(r, 50))]);
    return false;
  }, `${count} records (have ${output.records.length})`, 30_000, 1);
}

describe.skipIf(unavailable !== undefined && !required)('PostgreSQL change stream (live)', () => {
  const tables: string[] = [];
  const jobs: string[] = [];
  const readers: SourceReader<ChangeRecord>[] = [];
  const usedSlots = new Set<string>();
  let jobCount = 0;

  beforeAll(() => {
    if (unavailable !== undefined) throw new Error(`this test needs PostgreSQL with logical decoding (SLUICE_REQUIRE_SERVICES=1), but ${unavailable}`);
  });

  async function newTable(): Promise<string> {
    const table = uniqueTable('cdc');
    tables.push(table);
    await sql(`CREATE TABLE ${table} (id int PRIMARY KEY, name text, qty bigint)`);
    return table;
  }

  function newJob(): string {
    const job = `job-${process.pid}-${++jobCount}`;
    jobs.push(job);
    usedSlots.add(slotName(job, 'op-1'));
    return job;
  }

  async function open(table: string, jobId: string, split?: CdcSplit): Promise<SourceReader<ChangeRecord>> {
    const reader = await readerOf(table, jobId, split);
    readers.push(reader);
    return reader;
  }

  afterEach(async () => {
    for (const r of readers.splice(0)) await r.close();
    for (const job of jobs.splice(0)) await dropJobSlots(job);
    for (const t of tables.splice(0)) await sql(`DROP TABLE IF EXISTS ${t}`);
  });

  afterAll(async () => {
    expect(await existingSlots([...usedSlots])).toEqual([]);
  });

  it('emits the snapshot as inserts, then inserts, updates and deletes in commit order', async () => {
    const table = await newTable();
    await sql(`INSERT INTO ${table} VALUES (1, 'a', 10), (2, 'b', 9007199254740993)`);
    const job = newJob();
    const reader = await open(table, job);
    await sql(`INSERT INTO ${table} VALUES (3, 'c', 30)`);
    await sql(`UPDATE ${table} SET qty = 11 WHERE id = 1`);
    await sql(`DELETE FROM ${table} WHERE id = 2`);
    const output = new CapturingOutput<ChangeRecord>();
    await pollUntil(reader, output, 5);
    const snapshot = output.records.slice(0, 2).sort((a, b) => Number(a.row.id) - Number(b.row.id));
    expect(snapshot).toEqual([
      { op: 'insert', row: { id: 1, name: 'a', qty: 10 } },
      { op: 'insert', row: { id: 2, name: 'b', qty: '9007199254740993' } },
    ]);
    expect(output.records.slice(2)).toEqual([
      { op: 'insert', row: { id: 3, name: 'c', qty: 30 } },
      { op: 'update', row: { id: 1, name: 'a', qty: 11 } },
      { op: 'delete', row: { id: 2, name: null, qty: null } },
    ]);
  });

  it('neither loses nor repeats a change committed while the slot and its snapshot are taken', async () => {
    const table = await newTable();
    const total = 2000;
    const writer = (async () => {
      const client = new pg.Client(PG);
      await client.connect();
      try {
        for (let i = 1; i <= total; i++) await client.query(`INSERT INTO ${table} VALUES ($1::int, 'w', $2::bigint)`, [i, i]);
      } finally {
        await client.end();
      }
    })();
    await waitFor(async () => Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n) >= 20, 'the writer under way');
    const job = newJob();
    const reader = await open(table, job);
    const rowsAtOpen = Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
    expect(rowsAtOpen, 'the writer still under way once the slot exists').toBeLessThan(total);
    await writer;
    const output = new CapturingOutput<ChangeRecord>();
    await pollUntil(reader, output, total);
    const ids = output.records.map((r) => r.row.id as number);
    expect(output.records.every((r) => r.op === 'insert')).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('resumes from a checkpoint taken inside the snapshot and inside a transaction, with every change exactly once', async () => {
    const table = await newTable();
    await sql(`INSERT INTO ${table} SELECT g, 's', g FROM generate_series(1, 5) g`);
    const job = newJob();
    const first = await open(table, job);
    await sql(`INSERT INTO ${table} SELECT g, 't', g FROM generate_series(6, 10) g`);
    await sql(`UPDATE ${table} SET qty = qty + 100 WHERE id <= 3`);
    const before = new CapturingOutput<ChangeRecord>();
    await pollUntil(first, before, 3, 3);
    const [inSnapshot] = first.snapshotState(1) as CdcSplit[];
    expect(inSnapshot?.snapshot).toHaveLength(2);
    await pollUntil(first, before, 8, 3);
    const [inTransaction] = first.snapshotState(2) as CdcSplit[];
    expect(inTransaction?.skip).toBe(3);
    await pollUntil(first, before, 13);
    readers.splice(readers.indexOf(first), 1);
    await first.close();

    const fromSnapshot = await open(table, job, inSnapshot);
    const replay = new CapturingOutput<ChangeRecord>();
    await pollUntil(fromSnapshot, replay, 10);
    expect([...before.records.slice(0, 3), ...replay.records]).toEqual(before.records);
    readers.splice(readers.indexOf(fromSnapshot), 1);
    await fromSnapshot.close();

    const fromTransaction = await open(table, job, inTransaction);
    const after = new CapturingOutput<ChangeRecord>();
    await pollUntil(fromTransaction, after, 5);
    expect([...before.records.slice(0, 8), ...after.records]).toEqual(before.records);
  });

  it('acknowledges a position to the server only when the checkpoint that covers it completes', async () => {
    const table = await newTable();
    const job = newJob();
    const slot = slotName(job, 'op-1');
    const reader = await open(table, job);
    const start = await confirmedFlush(slot);
    await sql(`INSERT INTO ${table} VALUES (1, 'a', 1)`);
    const output = new CapturingOutput<ChangeRecord>();
    await pollUntil(reader, output, 1);
    const [first] = reader.snapshotState(1) as CdcSplit[];
    await sql(`INSERT INTO ${table} VALUES (2, 'b', 2)`);
    await pollUntil(reader, output, 2);
    reader.snapshotState(2);
    expect(await confirmedFlush(slot)).toBe(start);
    await reader.notifyCheckpointComplete?.(1);
    const acknowledged = await waitFor(async () => {
      const lsn = await confirmedFlush(slot);
      return lsn !== start && lsn;
    }, 'the acknowledgement of checkpoint 1');
    expect(lsnValue(acknowledged)).toBe(lsnValue(first?.lsn as string) + 1n);
    readers.splice(readers.indexOf(reader), 1);
    await reader.close();
    expect(await confirmedFlush(slot)).toBe(acknowledged);
  });

  it('drops the job\'s slot and publication when the job ends, and takes ?slot= as the name', async () => {
    const table = await newTable();
    const job = newJob();
    const slot = `sluice_test_${process.pid}`;
    usedSlots.add(slot);
    const source = changeStreamSourceFromUri('rules', changesUri(table, `&slot=${slot}`));
    const reader = source!.createReader({ jobId: job, operatorId: 'op-1', inputName: 'rules', subtaskIndex: 0, parallelism: 1, maxParallelism: 128 });
    readers.push(reader as unknown as SourceReader<ChangeRecord>);
    reader.addSplits(await source!.enumerateSplits());
    await reader.open();
    expect(await existingSlots([slot])).toEqual([slot]);
    await dropJobSlots(job);
    expect(await existingSlots([slot])).toEqual([]);
    expect(await sql('SELECT pubname FROM pg_publication WHERE pubname = $1', [slot])).toEqual([]);
  });

  it('leaves subtasks other than the first idle, owning nothing', async () => {
    const table = await newTable();
    const source = changeStreamSourceFromUri('rules', changesUri(table))!;
    const splits = await source.enumerateSplits();
    expect(splits).toHaveLength(1);
    const reader = source.createReader({ jobId: newJob(), operatorId: 'op-1', inputName: 'rules', subtaskIndex: 1, parallelism: 2, maxParallelism: 128 });
    reader.addSplits([]);
    await reader.open();
    expect(reader.pollNext(new CapturingOutput(), 100)).toBe('nothing');
    expect(reader.snapshotState(1)).toEqual([]);
    await reader.close();
  });
});
