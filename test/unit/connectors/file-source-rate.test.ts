import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { SourceReader } from '../../../common/connector/source.ts';
import { FileSource } from '../../../connectors/file/file-source.ts';
import type { FileSourceOptions } from '../../../connectors/file/file-source-options.ts';
import { sourceFromUri } from '../../../connectors/registry.ts';
import { readerContext } from './contexts.ts';
import { CapturingOutput, drainReader } from './drain-reader.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

/** A JSONL file of `count` records `{i}` in a fresh temporary directory. */
function numberedFile(count: number): string {
  const path = join(tempDir(), 'in.jsonl');
  writeFileSync(path, `${Array.from({ length: count }, (_, i) => `{"i":${i}}`).join('\n')}\n`);
  return path;
}

/** Polls (waiting on `available` in between) until the output has received `count` lines. */
async function pollUntilSeen(reader: SourceReader<Record<string, unknown>>, output: CapturingOutput<Record<string, unknown>>, count: number) {
  while (output.sequence.length < count) {
    if (reader.pollNext(output, 100) === 'nothing' && output.sequence.length < count) await reader.available();
  }
}

async function timedRead(path: string, options: FileSourceOptions) {
  const source = new FileSource(path, options);
  const splits = await source.enumerateSplits();
  const started = performance.now();
  const result = await drainReader(source.createReader(readerContext()), splits, { maxRecords: 100 });
  return { ...result, elapsedMs: performance.now() - started };
}

describe('FileSource, maxRecordsPerSecond', () => {
  it('paces the read to the rate and delivers every line once, in order', async () => {
    const path = numberedFile(1000);
    const result = await timedRead(path, { maxRecordsPerSecond: 2000 });
    // 1 000 lines at 2 000/s: the last one is due ~500 ms after the first.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(400);
    expect(result.records).toEqual(Array.from({ length: 1000 }, (_, i) => ({ i })));
    expect(result.malformed).toEqual([]);
    expect(result.waits).toBeGreaterThan(0);
  });

  it('does not pace without the option', async () => {
    const path = numberedFile(1000);
    const result = await timedRead(path, {});
    expect(result.records).toEqual(Array.from({ length: 1000 }, (_, i) => ({ i })));
  });

  it('counts malformed lines but not blank lines against the rate', async () => {
    const dir = writeFiles(tempDir(), { 'in.jsonl': '\n  \nbad\n\n{"a":1}\n{"a":2}\n' });
    const source = new FileSource(join(dir, 'in.jsonl'), { maxRecordsPerSecond: 10 });
    const reader = source.createReader(readerContext());
    reader.addSplits(await source.enumerateSplits());
    await reader.open();
    const output = new CapturingOutput<Record<string, unknown>>();
    const started = performance.now();

    // At 10/s a poll emits at most one line: the blank lines are skipped for free, `bad` uses it up.
    await pollUntilSeen(reader, output, 1);
    expect(output.malformedLines.map((m) => m.raw)).toEqual(['bad']);
    expect(output.records).toEqual([]);
    // Ahead of schedule: nothing until the next line is due, 100 ms after the first poll.
    expect(reader.pollNext(output, 100)).toBe('nothing');
    expect(output.records).toEqual([]);

    await pollUntilSeen(reader, output, 2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(output.records).toEqual([{ a: 1 }]);
    await reader.close();
  });

  it('wakes a throttled wait on close, with a timer that does not keep the process alive', async () => {
    const path = numberedFile(10);
    const source = new FileSource(path, { maxRecordsPerSecond: 1 });
    const reader = source.createReader(readerContext());
    reader.addSplits(await source.enumerateSplits());
    await reader.open();
    const output = new CapturingOutput<Record<string, unknown>>();
    await pollUntilSeen(reader, output, 1);
    expect(output.records).toEqual([{ i: 0 }]);
    expect(reader.pollNext(output, 100)).toBe('nothing');

    const waiting = reader.available();
    const timer = (reader as unknown as { wakeup: { timer: NodeJS.Timeout | undefined } }).wakeup.timer;
    expect(timer).toBeDefined();
    expect(timer?.hasRef()).toBe(false);
    const closeStarted = performance.now();
    await reader.close();
    await waiting;
    expect(performance.now() - closeStarted).toBeLessThan(500);
    expect((reader as unknown as { wakeup: { timer: NodeJS.Timeout | undefined } }).wakeup.timer).toBeUndefined();
  });

  it('rejects a rate that is not a positive finite number', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new FileSource('x.jsonl', { maxRecordsPerSecond: rate })).toThrow(
        /file source: maxRecordsPerSecond must be a positive finite number/,
      );
    }
    expect(new FileSource('x.jsonl', { maxRecordsPerSecond: 0.5 }).maxRecordsPerSecond).toBe(0.5);
    expect(new FileSource('x.jsonl').maxRecordsPerSecond).toBeUndefined();
  });
});

describe('sourceFromUri, ?rate=N', () => {
  it('takes a final ?rate=N as the rate and removes it from the path', () => {
    const source = sourceFromUri('in', 'file:/x/*.jsonl?rate=500', {});
    expect(source).toBeInstanceOf(FileSource);
    expect((source as FileSource).maxRecordsPerSecond).toBe(500);
    expect((source as FileSource).pattern).toBe('/x/*.jsonl');
    const absolute = sourceFromUri('in', 'file:///x/y.csv?rate=7') as FileSource;
    expect([absolute.pattern, absolute.maxRecordsPerSecond]).toEqual(['/x/y.csv', 7]);
  });

  it('keeps every other ? literally in the path', () => {
    // A glob may contain `?`; only the exact final suffix `?rate=DIGITS` is special, so
    // `?rate=abc`, `?rate=1.5` or a `?rate=` in the middle stay part of the path.
    for (const path of ['/x/a?b.jsonl', '/x/in.jsonl?rate=abc', '/x/in.jsonl?rate=1.5', '/x?rate=5/in.jsonl', '/x/in.jsonl?rate=']) {
      const source = sourceFromUri('in', `file:${path}`) as FileSource;
      expect(source.pattern, path).toBe(path);
      expect(source.maxRecordsPerSecond, path).toBeUndefined();
    }
  });

  it('rejects ?rate=0, naming the input', () => {
    expect(() => sourceFromUri('orders', 'file:/x/*.jsonl?rate=0')).toThrow(/^input "orders": .*\?rate= must be a positive integer/);
    expect(() => sourceFromUri('orders', 'file:?rate=5')).toThrow(/input "orders": .*empty path/);
  });

  it('reads a paced input end to end', async () => {
    const path = numberedFile(30);
    const source = sourceFromUri('in', `file:${path}?rate=1000`);
    const result = await drainReader(source.createReader(readerContext()), await source.enumerateSplits());
    expect(result.records).toEqual(Array.from({ length: 30 }, (_, i) => ({ i })));
  });
});
