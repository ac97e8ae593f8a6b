/**
 * The SQL snapshot sources against this machine's PostgreSQL and MariaDB: every row once, split by
 * key ranges over subtasks, and resumed exactly from a snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceSplit } from '../../../common/connector/source.ts';
import { SqlSource } from '../../../connectors/sql/sql-source.ts';
import type { SqlSplit } from '../../../connectors/sql/sql-split.ts';
import { parseSqlUri } from '../../../connectors/sql/sql-uri.ts';
import { readerContext } from './contexts.ts';
import { CapturingOutput, drainReader, pollUntilEnd } from './drain-reader.ts';
import { databaseOrSkip, type TestDatabase } from './sql-test-databases.ts';

const ROWS = 5_000;

for (const name of ['postgres', 'mysql'] as const) {
  describe(`${name} snapshot source`, () => {
    let db: TestDatabase | undefined;
    let table = '';

    beforeAll(async () => {
      db = await databaseOrSkip(name, 'sql-source.test.ts');
      if (db === undefined) return;
      table = db.table('snapshot');
      await db.client.query(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, label VARCHAR(20))`);
      for (let start = 1; start <= ROWS; start += 1000) {
        const values = Array.from({ length: 1000 }, (_, i) => `(${start + i}, 'row-${start + i}')`).join(', ');
        await db.client.query(`INSERT INTO ${table} (id, label) VALUES ${values}`);
      }
    }, 60_000);

    afterAll(async () => {
      await db?.cleanUp();
    });

    const source = (query = ''): SqlSource => new SqlSource(db!.dialect, parseSqlUri(`${db!.base}?table=${table}${query}`, 'in'));
    const ids = (records: readonly Record<string, unknown>[]): number[] => records.map((r) => Number(r.id)).sort((a, b) => a - b);
    const all = Array.from({ length: ROWS }, (_, i) => i + 1);

    it('splits by key range and reads every row once over three subtasks', async ({ skip }) => {
      if (db === undefined) return skip();
      const s = source('&splits=5');
      const splits = await s.enumerateSplits();
      expect(splits.map((split) => [split.low, split.high])).toEqual([
        [1, 1000],
        [1001, 2000],
        [2001, 3000],
        [3001, 4000],
        [4001, 5000],
      ]);
      const read: Record<string, unknown>[] = [];
      for (let subtask = 0; subtask < 3; subtask++) {
        const mine = splits.filter((_, i) => i % 3 === subtask);
        read.push(...(await drainReader(s.createReader(readerContext(subtask, 3)), mine, { maxRecords: 700 })).records);
      }
      expect(ids(read)).toEqual(all);
      expect(read.find((r) => Number(r.id) === 42)).toEqual({ id: 42, label: 'row-42' });
    });

    it('resumes exactly after the last row of a snapshot', async ({ skip }) => {
      if (db === undefined) return skip();
      const s = source('&splits=2');
      const splits = await s.enumerateSplits();
      const first = s.createReader(readerContext());
      first.addSplits(splits);
      await first.open();
      const before = await pollUntilEnd(first, { limit: 3_100, maxRecords: 250 });
      const snapshot = JSON.parse(JSON.stringify(first.snapshotState())) as SourceSplit[];
      await first.close();
      expect((snapshot as SqlSplit[]).map((split) => split.finished)).toEqual([true, false]);
      const after = await drainReader(s.createReader(readerContext()), snapshot);
      expect(ids([...before.records, ...after.records])).toEqual(all);
      const again = s.createReader(readerContext());
      const output = new CapturingOutput<Record<string, unknown>>();
      again.addSplits(splits.map((split) => ({ ...split, finished: true })));
      await again.open();
      expect(again.pollNext(output, 10)).toBe('end');
      await again.close();
    });

    it('reads a table keyed by text as one split, in pages', async ({ skip }) => {
      if (db === undefined) return skip();
      const texts = db.table('text_keyed');
      await db.client.query(`CREATE TABLE ${texts} (code VARCHAR(10) NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (code, n))`);
      const values = Array.from({ length: 4500 }, (_, i) => `('${String(i % 7)}', ${i})`).join(', ');
      await db.client.query(`INSERT INTO ${texts} (code, n) VALUES ${values}`);
      const s = new SqlSource(db.dialect, parseSqlUri(`${db.base}?table=${texts}`, 'in'));
      const splits = await s.enumerateSplits();
      expect(splits).toEqual([{ id: `${texts}#all`, finished: false }]);
      const first = s.createReader(readerContext());
      first.addSplits(splits);
      await first.open();
      const before = await pollUntilEnd(first, { limit: 2_345, maxRecords: 300 });
      const snapshot = first.snapshotState();
      await first.close();
      const after = await drainReader(s.createReader(readerContext()), snapshot);
      const read = [...before.records, ...after.records].map((r) => Number(r.n)).sort((a, b) => a - b);
      expect(read).toEqual(Array.from({ length: 4500 }, (_, i) => i));
    });

    it('names a missing table', async ({ skip }) => {
      if (db === undefined) return skip();
      const missing = new SqlSource(db.dialect, parseSqlUri(`${db.base}?table=no_such_table_${process.pid}`, 'in'));
      await expect(missing.enumerateSplits()).rejects.toThrow(`table no_such_table_${process.pid} does not exist`);
    });
  });
}
