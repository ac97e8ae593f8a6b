import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../../../connectors/file/file-source.ts';
import type { FileSourceOptions } from '../../../connectors/file/file-source-options.ts';
import { readerContext } from './contexts.ts';
import { CapturingOutput, drainReader } from './drain-reader.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

async function readAll(path: string, options: FileSourceOptions = {}) {
  const source = new FileSource(path, options);
  return drainReader(source.createReader(readerContext()), await source.enumerateSplits());
}

describe('FileSource, CSV', () => {
  it('keys rows by the header, with string values, quotes and CRLF', async () => {
    const dir = writeFiles(tempDir(), {
      'in.csv': 'id,name,price_cents\r\n1,"Shoe, red",1999\r\n\r\n2,"The ""best"" hat",05\r\n3,,0',
    });
    const result = await readAll(join(dir, 'in.csv'));
    expect(result.records).toEqual([
      { id: '1', name: 'Shoe, red', price_cents: '1999' },
      { id: '2', name: 'The "best" hat', price_cents: '05' },
      { id: '3', name: '', price_cents: '0' },
    ]);
    expect(result.malformed).toEqual([]);
  });

  it('reports rows with the wrong field count or broken quoting with their raw line', async () => {
    const dir = writeFiles(tempDir(), { 'in.csv': 'a,b\n1,2\n1,2,3\r\n1\n"x,2\n"y"z,2\n3,4\n' });
    const result = await readAll(join(dir, 'in.csv'));
    expect(result.records).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
    expect(result.malformed.map((m) => m.raw)).toEqual(['1,2,3', '1', '"x,2', '"y"z,2']);
    expect(result.malformed[0]?.error).toMatch(/expected 2 fields as in the header, got 3/);
  });

  it('reports an invalid header once and every row after it', async () => {
    const dir = writeFiles(tempDir(), { 'in.csv': 'a,a\n1,2\n' });
    const result = await readAll(join(dir, 'in.csv'));
    expect(result.records).toEqual([]);
    expect(result.malformed.map((m) => m.raw)).toEqual(['a,a', '1,2']);
    expect(result.malformed[0]?.error).toMatch(/duplicate column name "a"/);
  });

  it('stores a __proto__ column as a plain field', async () => {
    const dir = writeFiles(tempDir(), { 'in.csv': '__proto__,b\nx,y\n' });
    const [record] = (await readAll(join(dir, 'in.csv'))).records;
    expect(Object.keys(record ?? {})).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });

  it('reads a .txt file as CSV when told so', async () => {
    const dir = writeFiles(tempDir(), { 'in.txt': 'k\nv\n' });
    expect((await readAll(join(dir, 'in.txt'), { format: 'csv' })).records).toEqual([{ k: 'v' }]);
  });

  it('replays the header when resuming from a mid-file offset', async () => {
    const dir = tempDir();
    const path = join(dir, 'in.csv');
    writeFileSync(path, '\uFEFF\n  \nid,v\r\n1,a\r\n2,b\r\n3,c\r\n');
    const source = new FileSource(path, { chunkSize: 4 });
    const [split] = await source.enumerateSplits();
    if (split === undefined) throw new Error('no split');
    const reader = source.createReader(readerContext());
    reader.addSplits([split]);
    await reader.open();
    const output = new CapturingOutput<Record<string, unknown>>();
    while (output.records.length < 1) {
      if (reader.pollNext(output, 1) === 'nothing') await reader.available();
    }
    const [position] = reader.snapshotState();
    await reader.close();
    expect(output.records).toEqual([{ id: '1', v: 'a' }]);

    const rest = await drainReader(source.createReader(readerContext()), [{ ...split, offset: position?.offset ?? 0 }]);
    expect(rest.records).toEqual([
      { id: '2', v: 'b' },
      { id: '3', v: 'c' },
    ]);
    expect(rest.malformed).toEqual([]);
  });
});
