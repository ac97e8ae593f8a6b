import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../../../connectors/file/file-source.ts';
import type { FileSourceOptions } from '../../../connectors/file/file-source-options.ts';
import { readerContext } from './contexts.ts';
import { CapturingOutput, drainReader, pollUntilEnd, type MalformedLine } from './drain-reader.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

async function readAll(path: string, options: FileSourceOptions = {}, maxRecords = 100) {
  const source = new FileSource(path, options);
  const splits = await source.enumerateSplits();
  return drainReader(source.createReader(readerContext()), splits, { maxRecords });
}

describe('FileSource, JSONL', () => {
  it('skips blank lines, handles CRLF and a last line without newline, reports malformed lines', async () => {
    const dir = writeFiles(tempDir(), {
      'in.jsonl': '{"a":1}\r\n\r\n   \n\t\r\n{"a":2}\nnot json\n[1,2]\n42\nnull\n"s"\n{"a":3}\r\n{"a":4}',
    });
    const result = await readAll(join(dir, 'in.jsonl'));
    expect(result.records).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]);
    expect(result.malformed.map((m) => m.raw)).toEqual(['not json', '[1,2]', '42', 'null', '"s"']);
    expect(result.malformed[0]?.error).toMatch(/invalid JSON/);
    expect(result.malformed[1]?.error).toMatch(/expected a JSON object, got an array/);
    expect(result.malformed[3]?.error).toMatch(/got null/);
  });

  it('keeps a malformed line without its CRLF terminator', async () => {
    const dir = writeFiles(tempDir(), { 'in.jsonl': '{"a":\r\n{"a":1}\r\n' });
    const result = await readAll(join(dir, 'in.jsonl'));
    expect(result.malformed.map((m) => m.raw)).toEqual(['{"a":']);
    expect(result.records).toEqual([{ a: 1 }]);
  });

  it('decodes multi-byte UTF-8 split across chunk boundaries, for every chunk size', async () => {
    const lines = ['{"s":"héllo wörld"}', '{"s":"价格监控"}', '{"s":"emoji 🚀🚀"}', '{"s":"€"}'];
    const dir = writeFiles(tempDir(), { 'in.jsonl': `\uFEFF${lines.join('\n')}\n` });
    const expected = lines.map((line) => JSON.parse(line));
    for (let chunkSize = 1; chunkSize <= 24; chunkSize++) {
      const result = await readAll(join(dir, 'in.jsonl'), { chunkSize, maxBufferedChunks: 2 }, 3);
      expect(result.records, `chunkSize ${chunkSize}`).toEqual(expected);
      expect(result.malformed).toEqual([]);
    }
  });

  it('returns nothing and waits when no complete line is buffered', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i % 17) }));
    writeFileSync(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const result = await readAll(join(dir, 'in.jsonl'), { chunkSize: 64, maxBufferedChunks: 1 }, 7);
    expect(result.records.map((r) => r.i)).toEqual(lines.map((_, i) => i));
    expect(result.waits).toBeGreaterThan(0);
  });

  it('bounds the read-ahead of a split that is not polled', async () => {
    const dir = tempDir();
    const path = join(dir, 'in.jsonl');
    writeFileSync(path, Array.from({ length: 1000 }, (_, i) => `{"i":${i}}`).join('\n'));
    const source = new FileSource(path, { chunkSize: 64, maxBufferedChunks: 2 });
    const reader = source.createReader(readerContext());
    reader.addSplits(await source.enumerateSplits());
    await reader.open();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const output = new CapturingOutput<Record<string, unknown>>();
    expect(reader.pollNext(output, 10_000)).toBe('nothing');
    expect(output.records.length).toBeGreaterThan(0);
    expect(output.records.length).toBeLessThanOrEqual(Math.ceil((2 * 64) / '{"i":0}\n'.length));
    const rest = await pollUntilEnd(reader);
    await reader.close();
    expect([...output.records, ...rest.records]).toEqual(Array.from({ length: 1000 }, (_, i) => ({ i })));
  });

  it('reads an empty file and a file of blank lines as no records', async () => {
    const dir = writeFiles(tempDir(), { 'a.jsonl': '', 'b.jsonl': '\n\n  \r\n' });
    expect((await readAll(join(dir, 'a.jsonl'))).records).toEqual([]);
    expect((await readAll(join(dir, 'b.jsonl'))).records).toEqual([]);
  });

  it('takes the format from the extension unless overridden', async () => {
    const dir = writeFiles(tempDir(), { 'in.ndjson': '{"a":1}\n', 'in.txt': '{"a":2}\n' });
    expect((await readAll(join(dir, 'in.ndjson'))).records).toEqual([{ a: 1 }]);
    expect((await readAll(join(dir, 'in.txt'), { format: 'jsonl' })).records).toEqual([{ a: 2 }]);
    await expect(new FileSource(join(dir, 'in.txt')).enumerateSplits()).rejects.toThrow(/cannot tell the format/);
  });

  it('resumes from any snapshotted offset without losing or repeating a line', async () => {
    const dir = tempDir();
    const lines = ['{"i":0}', '', '{"i":1}', 'bad', '{"i":2}', '  ', '{"i":3}', '{"i":4}'];
    const path = join(dir, 'in.jsonl');
    writeFileSync(path, lines.join('\r\n'));
    const source = new FileSource(path, { chunkSize: 5 });
    const [split] = await source.enumerateSplits();
    if (split === undefined) throw new Error('no split');

    const reader = source.createReader(readerContext());
    reader.addSplits([split]);
    await reader.open();
    const output = new CapturingOutput<Record<string, unknown>>();
    const snapshots: Array<{ offset: number; seen: number }> = [];
    for (;;) {
      const status = reader.pollNext(output, 1);
      const [position] = reader.snapshotState();
      snapshots.push({ offset: position?.offset ?? -1, seen: output.sequence.length });
      if (status === 'end') break;
      if (status === 'nothing') await reader.available();
    }
    await reader.close();
    const all = output.sequence.map(rawOrRecord);
    expect(all).toEqual([{ i: 0 }, { i: 1 }, 'bad', { i: 2 }, { i: 3 }, { i: 4 }]);
    expect(snapshots.at(-1)?.offset).toBe(Buffer.byteLength(lines.join('\r\n')));

    for (const { offset, seen } of snapshots) {
      const rest = await drainReader(source.createReader(readerContext()), [{ ...split, offset }]);
      expect(rest.sequence.map(rawOrRecord), `offset ${offset}`).toEqual(all.slice(seen));
    }
  });

  it('fails the poll with the path when a file cannot be read', async () => {
    const dir = tempDir();
    const path = join(dir, 'gone.jsonl');
    const source = new FileSource(path);
    const reader = source.createReader(readerContext());
    await expect(drainReader(reader, [{ id: path, path, format: 'jsonl' } as never])).rejects.toThrow(/gone\.jsonl/);
  });
});

function rawOrRecord(item: Record<string, unknown> | MalformedLine): unknown {
  return 'raw' in item && 'error' in item ? item.raw : item;
}
