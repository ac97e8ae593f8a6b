/**
 * File sources refuse lines that are not UTF-8 or longer than `maxLineBytes`: each goes to the
 * malformed output with an error naming it, instead of being replaced silently or held whole.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../../../connectors/file/file-source.ts';
import type { FileSourceOptions } from '../../../connectors/file/file-source-options.ts';
import { sourceFromUri } from '../../../connectors/registry.ts';
import { readerContext } from './contexts.ts';
import { drainReader } from './drain-reader.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

async function readAll(path: string, options: FileSourceOptions = {}, maxRecords = 100) {
  const source = new FileSource(path, options);
  return drainReader(source.createReader(readerContext()), await source.enumerateSplits(), { maxRecords });
}

/** `{"text":"café"}` in latin-1: `é` is the single byte E9, which is not UTF-8. */
const LATIN1_CAFE = Buffer.from('{"text":"café"}', 'latin1');

describe('FileSource, invalid UTF-8', () => {
  it('reports a latin-1 JSONL line as malformed, naming the offset, for every chunk size', async () => {
    const good = Buffer.from('{"text":"ok"}\n', 'utf8');
    // A valid line that spells U+FFFD itself (EF BF BD) is a record like any other.
    const replacement = Buffer.from('{"text":"\uFFFD"}\n', 'utf8');
    const dir = writeFiles(tempDir(), { 'in.jsonl': Buffer.concat([good, LATIN1_CAFE, Buffer.from('\r\n'), replacement, good]) });
    for (let chunkSize = 1; chunkSize <= 40; chunkSize += 3) {
      const result = await readAll(join(dir, 'in.jsonl'), { chunkSize, maxBufferedChunks: 1 }, 2);
      expect(result.records, `chunkSize ${chunkSize}`).toEqual([{ text: 'ok' }, { text: '\uFFFD' }, { text: 'ok' }]);
      expect(result.malformed, `chunkSize ${chunkSize}`).toEqual([
        { raw: '{"text":"caf\uFFFD"}', error: `invalid UTF-8 at byte ${good.length + 12} (byte 12 of the line at byte ${good.length}); the file must be UTF-8` },
      ]);
    }
  });

  it('refuses truncated, overlong and surrogate sequences, naming the first bad byte', async () => {
    const cases: Array<[Buffer, number]> = [
      [Buffer.from([0x7b, 0x7d, 0xe2, 0x82]), 2], // `{}` then a cut-off `€`
      [Buffer.from([0x61, 0xc0, 0xaf]), 1], // overlong `/`
      [Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]), 2], // a UTF-16 surrogate
      [Buffer.from([0xf4, 0x90, 0x80, 0x80]), 0], // past U+10FFFF
    ];
    for (const [bytes, at] of cases) {
      const dir = writeFiles(tempDir(), { 'in.jsonl': bytes });
      const result = await readAll(join(dir, 'in.jsonl'));
      expect(result.malformed.map((m) => m.error), bytes.toString('hex')).toEqual([
        `invalid UTF-8 at byte ${at} (byte ${at} of the line at byte 0); the file must be UTF-8`,
      ]);
    }
  });

  it('reports a latin-1 CSV row, and a latin-1 header once with every row after it', async () => {
    const row = Buffer.concat([Buffer.from('id,name\n1,ok\n2,'), Buffer.from('café', 'latin1'), Buffer.from('\n3,fine\n')]);
    const rows = await readAll(writeFiles(tempDir(), { 'in.csv': row }) + '/in.csv');
    expect(rows.records).toEqual([{ id: '1', name: 'ok' }, { id: '3', name: 'fine' }]);
    expect(rows.malformed.map((m) => m.raw)).toEqual(['2,caf\uFFFD']);
    expect(rows.malformed[0]?.error).toMatch(/^invalid UTF-8 at byte 18 /);

    const header = Buffer.concat([Buffer.from('id,caf', 'latin1'), Buffer.from('é\n1,a\n', 'latin1')]);
    const headed = await readAll(writeFiles(tempDir(), { 'in.csv': header }) + '/in.csv');
    expect(headed.records).toEqual([]);
    expect(headed.malformed.map((m) => m.error)).toEqual([
      'invalid CSV header: invalid UTF-8 at byte 6 (byte 6 of the line at byte 0); the file must be UTF-8',
      'the CSV header is invalid (invalid UTF-8 at byte 6 (byte 6 of the line at byte 0); the file must be UTF-8), so no row can be read',
    ]);
  });
});

describe('FileSource, maxLineBytes', () => {
  /** Three good lines around one of `size` bytes of JSON. */
  function withLongLine(size: number, terminated = true): Buffer {
    const long = `{"text":"${'word '.repeat(size)}`.slice(0, size - 2) + '"}';
    return Buffer.from(`{"i":0}\n${long}${terminated ? '\n{"i":1}\n' : ''}`, 'utf8');
  }

  it('refuses a longer line with its first bytes, skips it and reads on, for every chunk size', async () => {
    const dir = writeFiles(tempDir(), { 'in.jsonl': withLongLine(5000) });
    for (const chunkSize of [1, 7, 64, 99, 100, 101, 4096, 65536]) {
      const result = await readAll(join(dir, 'in.jsonl'), { chunkSize, maxBufferedChunks: 1, maxLineBytes: 100 }, 2);
      expect(result.records, `chunkSize ${chunkSize}`).toEqual([{ i: 0 }, { i: 1 }]);
      expect(result.malformed, `chunkSize ${chunkSize}`).toEqual([
        {
          raw: `{"text":"${'word '.repeat(20)}`.slice(0, 100),
          error: 'line too long: 5000 bytes at byte 8, the limit is 100 bytes (maxLineBytes); it was skipped, raw holds its first 100 bytes',
        },
      ]);
    }
  });

  it('keeps at most 1 KiB of a refused line, cut at a character boundary', async () => {
    const long = `${'x'.repeat(1023)}€${'y'.repeat(3000)}`;
    const dir = writeFiles(tempDir(), { 'in.jsonl': `${long}\n{"i":1}\n` });
    const result = await readAll(join(dir, 'in.jsonl'), { maxLineBytes: 2000 });
    expect(result.records).toEqual([{ i: 1 }]);
    expect(result.malformed[0]?.raw).toBe('x'.repeat(1023));
    expect(result.malformed[0]?.error).toBe(
      `line too long: ${Buffer.byteLength(long)} bytes at byte 0, the limit is 2000 bytes (maxLineBytes); it was skipped, raw holds its first 1023 bytes`,
    );
  });

  it('refuses a long last line without a terminator', async () => {
    const dir = writeFiles(tempDir(), { 'in.jsonl': withLongLine(300, false) });
    const result = await readAll(join(dir, 'in.jsonl'), { chunkSize: 16, maxLineBytes: 100 });
    expect(result.records).toEqual([{ i: 0 }]);
    expect(result.malformed.map((m) => m.error)).toEqual([
      'line too long: 300 bytes at byte 8, the limit is 100 bytes (maxLineBytes); it was skipped, raw holds its first 100 bytes',
    ]);
  });

  it('accepts a line of exactly the limit and defaults to 1 MiB', async () => {
    const dir = writeFiles(tempDir(), { 'a.jsonl': withLongLine(100), 'b.jsonl': withLongLine(1024 * 1024), 'c.jsonl': withLongLine(1024 * 1024 + 1) });
    expect((await readAll(join(dir, 'a.jsonl'), { chunkSize: 9, maxLineBytes: 100 })).malformed).toEqual([]);
    expect((await readAll(join(dir, 'b.jsonl'))).records).toHaveLength(3);
    const over = await readAll(join(dir, 'c.jsonl'));
    expect(over.records).toEqual([{ i: 0 }, { i: 1 }]);
    expect(over.malformed[0]?.error).toMatch(/^line too long: 1048577 bytes at byte 8, the limit is 1048576 bytes/);
  });

  it('takes maxLineBytes from the URI, alone or with rate, and rejects 0', async () => {
    const dir = writeFiles(tempDir(), { 'in.jsonl': withLongLine(300) });
    for (const suffix of ['?maxLineBytes=100', '?rate=100000&maxLineBytes=100', '?maxLineBytes=100&rate=100000']) {
      const source = sourceFromUri('in', `file:${join(dir, 'in.jsonl')}${suffix}`, { maxLineBytes: 10_000 });
      const result = await drainReader(source.createReader(readerContext()), await source.enumerateSplits());
      expect(result.records, suffix).toEqual([{ i: 0 }, { i: 1 }]);
      expect(result.malformed[0]?.error, suffix).toMatch(/the limit is 100 bytes/);
    }
    const fromOption = sourceFromUri('in', `file:${join(dir, 'in.jsonl')}`, { maxLineBytes: 100 });
    expect((await drainReader(fromOption.createReader(readerContext()), await fromOption.enumerateSplits())).malformed).toHaveLength(1);
    expect(() => sourceFromUri('orders', 'file:/x.jsonl?maxLineBytes=0')).toThrow(/^input "orders": .*\?maxLineBytes= must be a positive integer \(the longest line, in bytes\), got 0/);
    expect(() => sourceFromUri('orders', 'file:/x.jsonl?rate=1&rate=2')).toThrow(/rate= is given twice/);
    expect(() => new FileSource('x.jsonl', { maxLineBytes: 0 })).toThrow(/maxLineBytes must be a positive integer, got 0/);
  });
});
