/**
 * The SQL sinks against this machine's PostgreSQL and MariaDB: rows appear only when their
 * checkpoint completes, once, through repeated commits and recovery; upsert, create and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkContext } from '../../../common/connector/sink.ts';
import { SqlSink } from '../../../connectors/sql/sql-sink.ts';
import { COMMIT_TABLE, type SqlSinkWriter, type SqlTransaction } from '../../../connectors/sql/sql-sink-writer.ts';
import { openPoolCount } from '../../../connectors/sql/sql-pools.ts';
import { parseSqlUri } from '../../../connectors/sql/sql-uri.ts';
import { sinkContext } from './contexts.ts';
import { databaseOrSkip, type TestDatabase } from './sql-test-databases.ts';

for (const name of ['postgres', 'mysql'] as const) {
  describe(`${name} sink`, () => {
    let db: TestDatabase | undefined;
    const jobId = `job-${process.pid}-${Date.now()}`;

    beforeAll(async () => {
      db = await databaseOrSkip(name, 'sql-sink.test.ts');
    }, 30_000);

    afterAll(async () => {
      if (db === undefined) return;
      await db.client.query(`DELETE FROM ${COMMIT_TABLE} WHERE job = ${db.dialect.placeholder(1)}`, [jobId]).catch(() => undefined);
      await db.cleanUp();
    });

    const context = (overrides: Partial<SinkContext> = {}): SinkContext => sinkContext(0, 1, 0, { jobId, checkpointing: true, ...overrides });
    const writerOf = (query: string, overrides: Partial<SinkContext> = {}): SqlSinkWriter =>
      new SqlSink(db!.dialect, parseSqlUri(`${db!.base}?${query}`, 'out')).createWriter(context(overrides)) as SqlSinkWriter;
    const create = (table: string, columns: string): Promise<unknown> => db!.client.query(`CREATE TABLE ${table} (${columns})`);

    it('writes a checkpoint\'s rows only when it completes, and once however often it is committed or recovered', async ({ skip }) => {
      if (db === undefined) return skip();
      const table = db.table('append');
      await create(table, 'word VARCHAR(100), n INTEGER');
      const writer = writerOf(`table=${table}`, { operatorId: `op-${table}` });
      await writer.open();
      for (let i = 0; i < 5000; i++) writer.write({ word: `w${i}`, n: i });
      await writer.flush();
      const [first] = await writer.preCommit(1);
      writer.write({ word: 'after', n: -1 });
      expect(await db.rows(table, 'n')).toEqual([]);
      await writer.commit([first!]);
      await writer.commit([first!]);
      expect((await db.rows(table, 'n')).length).toBe(5000);
      await writer.close();

      const restarted = writerOf(`table=${table}`, { operatorId: `op-${table}`, attempt: 1 });
      await restarted.open();
      await restarted.recover([first!]);
      expect((await db.rows(table, 'n')).length).toBe(5000);
      await restarted.close();
    });

    it('recovers a checkpoint that completed before the crash but was never committed', async ({ skip }) => {
      if (db === undefined) return skip();
      const table = db.table('recover');
      await create(table, 'word VARCHAR(100), n INTEGER');
      const crashed = writerOf(`table=${table}`, { operatorId: `op-${table}` });
      await crashed.open();
      crashed.write({ word: 'a', n: 1 });
      crashed.write({ word: 'b', n: 2 });
      const transactions = JSON.parse(JSON.stringify(await crashed.preCommit(7))) as SqlTransaction[];
      await crashed.close();
      const restarted = writerOf(`table=${table}`, { operatorId: `op-${table}`, attempt: 1 });
      await restarted.open();
      await restarted.recover(transactions);
      await restarted.recover(transactions);
      expect(await db.rows(table, 'n')).toEqual([
        { word: 'a', n: 1 },
        { word: 'b', n: 2 },
      ]);
      await restarted.close();
    });

    it('upserts on the key, the last record of a key winning within and across checkpoints', async ({ skip }) => {
      if (db === undefined) return skip();
      const table = db.table('upsert');
      await create(table, 'k VARCHAR(50) NOT NULL, day INTEGER NOT NULL, total INTEGER, PRIMARY KEY (k, day)');
      const writer = writerOf(`table=${table}&mode=upsert&key=k,day`, { operatorId: `op-${table}` });
      await writer.open();
      writer.write({ k: 'a', day: 1, total: 1 });
      writer.write({ k: 'a', day: 1, total: 2 });
      writer.write({ k: 'a', day: 2, total: 5 });
      await writer.commit(await writer.preCommit(1));
      writer.write({ k: 'a', day: 2, total: 6 });
      writer.write({ k: 'b', day: 1, total: 9 });
      await writer.commit(await writer.preCommit(2));
      expect(await db.rows(table, 'k, day')).toEqual([
        { k: 'a', day: 1, total: 2 },
        { k: 'a', day: 2, total: 6 },
        { k: 'b', day: 1, total: 9 },
      ]);
      await writer.close();
    });

    it('creates the table from the first record with ?create=true', async ({ skip }) => {
      if (db === undefined) return skip();
      const table = db.table('created');
      const writer = writerOf(`table=${table}&create=true&mode=upsert&key=word`, { operatorId: `op-${table}` });
      await writer.open();
      writer.write({ word: 'x', count: 3 });
      writer.write({ word: 'y', count: 4.5 });
      await writer.commit(await writer.preCommit(1));
      expect(await db.rows(table, 'word')).toEqual([
        { word: 'x', count: 3 },
        { word: 'y', count: 4.5 },
      ]);
      await writer.close();
    });

    it('writes at finish without checkpointing', async ({ skip }) => {
      if (db === undefined) return skip();
      const table = db.table('plain');
      await create(table, 'n INTEGER');
      const writer = writerOf(`table=${table}`, { operatorId: `op-${table}`, checkpointing: false });
      await writer.open();
      writer.write({ n: 1 });
      await writer.finish();
      expect(await db.rows(table, 'n')).toEqual([{ n: 1 }]);
      await writer.close();
    });

    it('fails at open on a missing table, and at commit on a field that is no column, naming them', async ({ skip }) => {
      if (db === undefined) return skip();
      const missing = db.table('missing');
      const writer = writerOf(`table=${missing}`);
      await expect(writer.open()).rejects.toThrow(`table ${missing} does not exist (add ?create=true`);
      await writer.close();
      const table = db.table('columns');
      await create(table, 'n INTEGER');
      const other = writerOf(`table=${table}`, { operatorId: `op-${table}` });
      await other.open();
      other.write({ n: 1, colour: 'red' });
      await expect(other.commit(await other.preCommit(1))).rejects.toThrow(`a field "colour" that is not a column of table ${table}`);
      await other.close();
      const badKey = writerOf(`table=${table}&mode=upsert&key=id`);
      await expect(badKey.open()).rejects.toThrow(`?key= names column "id", which table ${table} does not have (columns: n)`);
      await badKey.close();
    });

    it('shares one pool per URI and closes it with the last writer', async ({ skip }) => {
      if (db === undefined) return skip();
      const table = db.table('pool');
      await create(table, 'n INTEGER');
      const before = openPoolCount();
      const writers = [0, 1, 2].map((subtask) => writerOf(`table=${table}`, { subtaskIndex: subtask, parallelism: 3 }));
      for (const writer of writers) await writer.open();
      expect(openPoolCount()).toBe(before + 1);
      for (const writer of writers) await writer.close();
      expect(openPoolCount()).toBe(before);
    });

    it('gives one-line errors for an unreachable host, naming the URI', async ({ skip }) => {
      if (db === undefined) return skip();
      const writer = new SqlSink(db.dialect, parseSqlUri(`${name}://someone:pa55word@127.0.0.1:1/test?table=t`, 'out')).createWriter(context());
      const error = await writer.open().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      await writer.close();
      expect(error?.message).toMatch(new RegExp(`^${name}://someone@127.0.0.1:1/test\\?table=t: cannot open the sink .*ECONNREFUSED`));
      expect(error?.message).not.toContain('pa55word');
      expect(error?.message).not.toContain('\n');
      expect(error?.stack).not.toContain('pa55word');
    });
  });
}

describe('mysql sink credentials', () => {
  it('reports a wrong password without showing it', async ({ skip }) => {
    const db = await databaseOrSkip('mysql', 'sql-sink.test.ts');
    if (db === undefined) return skip();
    await db.cleanUp();
    const uri = parseSqlUri('mysql://root@127.0.0.1:3306/test?table=t', 'totals', { SLUICE_TOTALS_PASSWORD: 'wr0ng-pass' });
    const writer = new SqlSink(db.dialect, uri).createWriter(sinkContext(0, 1, 0, { checkpointing: true }));
    const error = await writer.open().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    await writer.close();
    expect(error?.message).toMatch(/^mysql:\/\/root@127.0.0.1:3306\/test\?table=t: cannot open the sink .*Access denied for user 'root'/);
    expect(error?.message).not.toContain('wr0ng-pass');
  });
});
