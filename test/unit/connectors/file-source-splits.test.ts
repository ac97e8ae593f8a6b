import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitsForSubtask } from '../../../common/connector/source.ts';
import { FileSource } from '../../../connectors/file/file-source.ts';
import { readerContext } from './contexts.ts';
import { drainReader } from './drain-reader.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

function jsonl(file: string, count: number): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ file, i })).join('\n');
}

describe('FileSource splits', () => {
  it('lists the visible regular files of a directory, sorted, one split each', async () => {
    const dir = writeFiles(tempDir(), {
      'b.jsonl': jsonl('b', 1),
      'a.csv': 'x\n1\n',
      '.part-0.inprogress': 'hidden',
      '_SUCCESS': '',
    });
    mkdirSync(join(dir, 'sub'));
    writeFiles(join(dir, 'sub'), { 'c.jsonl': jsonl('c', 1) });
    symlinkSync(join(dir, 'b.jsonl'), join(dir, 'link.jsonl'));
    const splits = await new FileSource(dir).enumerateSplits();
    expect(splits).toEqual([
      { id: join(dir, 'a.csv'), path: join(dir, 'a.csv'), format: 'csv' },
      { id: join(dir, 'b.jsonl'), path: join(dir, 'b.jsonl'), format: 'jsonl' },
      { id: join(dir, 'link.jsonl'), path: join(dir, 'link.jsonl'), format: 'jsonl' },
    ]);
  });

  it('reads every record of a directory exactly once across 2 subtasks, each file in order', async () => {
    const dir = tempDir();
    const files: Record<string, string> = {};
    for (let f = 0; f < 5; f++) files[`part-${f}.jsonl`] = jsonl(`f${f}`, 50 + f * 30);
    writeFiles(dir, files);
    const source = new FileSource(dir, { chunkSize: 128 });
    const splits = await source.enumerateSplits();
    const all: Array<{ file: string; i: number }> = [];
    for (let subtask = 0; subtask < 2; subtask++) {
      const reader = source.createReader(readerContext(subtask, 2));
      const result = await drainReader(reader, splitsForSubtask(splits, subtask, 2), { maxRecords: 16 });
      all.push(...(result.records as Array<{ file: string; i: number }>));
      const byFile = new Map<string, number[]>();
      for (const r of result.records as Array<{ file: string; i: number }>) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r.i]);
      for (const [, indexes] of byFile) expect(indexes).toEqual(indexes.map((_, i) => i));
    }
    const expected = Object.values(files).flatMap((text) => text.split('\n').map((line) => JSON.parse(line)));
    expect(all).toHaveLength(expected.length);
    expect(new Set(all.map((r) => `${r.file}/${r.i}`)).size).toBe(expected.length);
  });

  it('interleaves the splits of one reader', async () => {
    const dir = writeFiles(tempDir(), { 'a.jsonl': jsonl('a', 100), 'b.jsonl': jsonl('b', 100) });
    // Small chunks and a read-ahead of one chunk: split a runs dry long before its 100 lines are
    // read, so the reader must serve b in between instead of racing through a fully buffered a.
    const source = new FileSource(dir, { chunkSize: 64, maxBufferedChunks: 1 });
    const result = await drainReader(source.createReader(readerContext()), await source.enumerateSplits(), { maxRecords: 10 });
    const files = (result.records as Array<{ file: string }>).map((r) => r.file);
    expect(files.slice(0, 100)).toContain('a');
    expect(files.slice(0, 100)).toContain('b');
    expect(files).toHaveLength(200);
  });

  it('matches a glob, relative to the base directory of the pattern', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    writeFiles(dir, { 'o1.jsonl': jsonl('o1', 2), 'o2.jsonl': jsonl('o2', 3), 'p.jsonl': jsonl('p', 1), '.o3.jsonl': jsonl('o3', 1) });
    writeFiles(join(dir, 'x'), { 'o4.jsonl': jsonl('o4', 1) });
    const source = new FileSource(join(dir, 'o*.jsonl'));
    const splits = await source.enumerateSplits();
    expect(splits.map((s) => s.path)).toEqual([join(dir, 'o1.jsonl'), join(dir, 'o2.jsonl')]);
    const result = await drainReader(source.createReader(readerContext()), splits);
    expect(result.records).toHaveLength(5);
    const deep = await new FileSource(join(dir, '**', 'o*.jsonl')).enumerateSplits();
    expect(deep.map((s) => s.path)).toEqual([join(dir, 'o1.jsonl'), join(dir, 'o2.jsonl'), join(dir, 'x', 'o4.jsonl')]);
  });

  it('fails with the pattern when nothing matches', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'empty'));
    await expect(new FileSource(join(dir, '*.jsonl')).enumerateSplits()).rejects.toThrow(`no files match "${join(dir, '*.jsonl')}"`);
    await expect(new FileSource(join(dir, 'empty')).enumerateSplits()).rejects.toThrow(/no files match/);
    await expect(new FileSource(join(dir, 'missing.jsonl'), { inputName: 'orders' }).enumerateSplits()).rejects.toThrow(
      /input "orders" \(file:.*missing\.jsonl\): .*no such file or directory/,
    );
  });

  it('ends at once when it owns no split', async () => {
    const source = new FileSource('unused');
    const result = await drainReader(source.createReader(readerContext(1, 2)), []);
    expect(result.records).toEqual([]);
  });
});
