import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitsForSubtask, type Source, type SourceReader, type SourceSplit } from '../../../common/connector/source.ts';
import { fromCollection } from '../../../connectors/collection/collection-source.ts';
import { DataGenSource } from '../../../connectors/datagen/datagen-source.ts';
import { FileSource } from '../../../connectors/file/file-source.ts';
import type { FileSplit } from '../../../connectors/file/file-split.ts';
import { readerContext } from './contexts.ts';
import { CapturingOutput, type MalformedLine } from './drain-reader.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

/** A record or a malformed line, tagged with the split it came from. */
interface Item {
  readonly split: string;
  readonly value: unknown;
}

/** What one reader emitted and, when it stopped early, its snapshot. */
interface ReadResult {
  readonly items: Item[];
  readonly ended: string[];
  readonly snapshot: SourceSplit[];
}

/**
 * Reads until `count` items were emitted (or the end, or `done` holds), polling at most
 * `maxRecords` at a time, then snapshots and closes the reader.
 */
async function readSome<T>(
  reader: SourceReader<T>,
  splits: readonly SourceSplit[],
  count: number,
  maxRecords = 3,
  done: (output: CapturingOutput<T>) => boolean = () => false,
): Promise<ReadResult> {
  reader.addSplits(splits);
  await reader.open();
  const output = new CapturingOutput<T>();
  const deadline = Date.now() + 10_000;
  try {
    while (output.sequence.length < count && !done(output)) {
      const status = reader.pollNext(output, Math.min(maxRecords, count - output.sequence.length));
      if (status === 'end') break;
      if (Date.now() > deadline) throw new Error('readSome: timed out');
      if (status === 'nothing') await reader.available();
    }
    const snapshot = reader.snapshotState();
    const items = output.sequence.map((value, i) => ({ split: output.splitOf[i]!, value }));
    return { items, ended: output.ended, snapshot: JSON.parse(JSON.stringify(snapshot)) as SourceSplit[] };
  } finally {
    await reader.close();
  }
}

/** Reads everything. */
function readAll<T>(reader: SourceReader<T>, splits: readonly SourceSplit[], maxRecords = 3): Promise<ReadResult> {
  return readSome(reader, splits, Infinity, maxRecords);
}

/** Items grouped by split, each in emission order. */
function bySplit(items: readonly Item[]): Record<string, unknown[]> {
  const groups: Record<string, unknown[]> = {};
  for (const item of items) (groups[item.split] ??= []).push(item.value);
  return groups;
}

/** Asserts that `first` then `rest` is, split by split, exactly the uninterrupted read `full`. */
function expectExactResume(first: readonly Item[], rest: readonly Item[], full: readonly Item[], label: string): void {
  expect(bySplit([...first, ...rest]), label).toEqual(bySplit(full));
}

/**
 * Reads part of the source (every cut point up to the total), snapshots, resumes in a new reader
 * and checks the whole and that every split is reported ended.
 */
async function checkEveryCut<T>(source: Source<T>, maxRecords: number): Promise<void> {
  const splits = await source.enumerateSplits();
  const full = await readAll(source.createReader(readerContext()), splits, maxRecords);
  const ids = splits.map((split) => split.id).sort();
  expect([...full.ended].sort()).toEqual(ids);
  for (let cut = 0; cut <= full.items.length; cut++) {
    const first = await readSome(source.createReader(readerContext()), splits, cut, maxRecords);
    expect(first.snapshot.map((split) => split.id)).toEqual(ids);
    const rest = await readAll(source.createReader(readerContext()), first.snapshot, maxRecords);
    expectExactResume(first.items, rest.items, full.items, `cut ${cut}`);
    expect([...rest.ended].sort(), `cut ${cut}`).toEqual(ids);
  }
}

describe('source split state', () => {
  it('resumes a collection source exactly, one split or several', async () => {
    const records = Array.from({ length: 23 }, (_, i) => ({ i }));
    await checkEveryCut(fromCollection(records, { numSplits: 1 }), 2);
    await checkEveryCut(fromCollection(records, { numSplits: 4 }), 3);
  });

  it('resumes a bounded datagen source exactly, one split or several', async () => {
    await checkEveryCut(new DataGenSource({ count: 17, numSplits: 1 }), 2);
    await checkEveryCut(new DataGenSource({ count: 29, numSplits: 3, seed: 5, generator: (i, random) => ({ i, v: random.nextIntBetween(0, 1000) }) }), 4);
  });

  it('resumes an unbounded datagen source at the next index of every split', async () => {
    const source = new DataGenSource({ numSplits: 3 });
    const splits = await source.enumerateSplits();
    const first = await readSome(source.createReader(readerContext()), splits, 10, 4);
    const rest = await readSome(source.createReader(readerContext()), first.snapshot, 20, 4);
    const all = [...first.items, ...rest.items].map((item) => item.value as number).sort((a, b) => a - b);
    expect(new Set(all).size).toBe(30);
    for (const [split, values] of Object.entries(bySplit([...first.items, ...rest.items]))) {
      const k = Number(split.replace('datagen-', ''));
      expect(values).toEqual(values.map((_, j) => k + 3 * j));
    }
  });

  it('resumes JSONL files exactly, with blank and malformed lines, across chunk boundaries', async () => {
    const dir = writeFiles(tempDir(), {
      'a.jsonl': '{"f":"a","i":0}\n\n{"f":"a","i":1}\r\nnot json\n[1]\n  \n{"f":"a","i":2}',
      'b.jsonl': '\uFEFF{"f":"b","i":0}\n{"f":"b","i":1}\n{"f":"b","i":2}\n{"f":"b","i":3}\n',
      'c.jsonl': '',
    });
    await checkEveryCut(new FileSource(join(dir, 'a.jsonl'), { chunkSize: 5 }), 1);
    await checkEveryCut(new FileSource(dir, { chunkSize: 7, maxBufferedChunks: 1 }), 2);
  });

  it('resumes CSV files past their header, also with a byte order mark and blank lines first', async () => {
    const dir = writeFiles(tempDir(), {
      'a.csv': '\uFEFF\n  \nid,v\r\n1,a\r\n2,"b,c"\r\nbad,row,here\r\n3,c\r\n',
      'b.csv': 'k\n1\n2\n3\n4\n5\n',
    });
    await checkEveryCut(new FileSource(dir, { chunkSize: 4 }), 1);
    await checkEveryCut(new FileSource(dir, { chunkSize: 64 }), 3);
  });

  it('reports an invalid CSV header once, also when resuming past it', async () => {
    const dir = writeFiles(tempDir(), { 'in.csv': 'a,a\n1,2\n3,4\n' });
    const source = new FileSource(dir, { chunkSize: 3 });
    await checkEveryCut(source, 1);
    const full = await readAll(source.createReader(readerContext()), await source.enumerateSplits());
    expect(full.items.map((item) => (item.value as MalformedLine).raw)).toEqual(['a,a', '1,2', '3,4']);
  });

  it('resumes exactly past lines refused for their encoding or length, and refuses a latin-1 CSV header once', async () => {
    const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
    const dir = writeFiles(tempDir(), {
      'a.jsonl': Buffer.concat([latin1('{"i":0}\n{"t":"café"}\n{"i":1}\n'), Buffer.from(`{"t":"${'x'.repeat(60)}"}\n{"i":2}\n`)]),
      'b.csv': latin1('id,café\n1,a\n2,b\n'),
    });
    await checkEveryCut(new FileSource(dir, { chunkSize: 5, maxBufferedChunks: 1, maxLineBytes: 40 }), 1);
    await checkEveryCut(new FileSource(dir, { chunkSize: 64, maxLineBytes: 40 }), 2);
    const source = new FileSource(join(dir, 'b.csv'));
    const splits = await source.enumerateSplits();
    const first = await readSome(source.createReader(readerContext()), splits, 1);
    const headerError = 'invalid UTF-8 at byte 6 (byte 6 of the line at byte 0); the file must be UTF-8';
    expect(first.snapshot).toEqual([{ ...splits[0], offset: 8, header: 'id,caf\uFFFD', headerError }]);
    const rest = await readAll(source.createReader(readerContext()), first.snapshot);
    expect(rest.items.map((item) => (item.value as MalformedLine).error)).toEqual([
      `the CSV header is invalid (${headerError}), so no row can be read`,
      `the CSV header is invalid (${headerError}), so no row can be read`,
    ]);
  });

  it('carries the CSV header in the snapshot instead of rereading it', async () => {
    const dir = writeFiles(tempDir(), { 'in.csv': 'id,v\n1,a\n2,b\n' });
    const source = new FileSource(dir);
    const splits = await source.enumerateSplits();
    const first = await readSome(source.createReader(readerContext()), splits, 1);
    expect(first.snapshot).toEqual([{ ...splits[0], offset: 9, header: 'id,v' }]);
  });

  it('resumes a file split that ended before the snapshot without reading its file', async () => {
    const dir = writeFiles(tempDir(), { 'a.jsonl': '{"a":0}\n', 'b.jsonl': '{"b":0}\n{"b":1}\n{"b":2}\n{"b":3}\n' });
    const source = new FileSource(dir);
    const splits = (await source.enumerateSplits()) as FileSplit[];
    const reader = source.createReader(readerContext());
    const first = await readSome(reader, splits, Infinity, 1, (output) => output.ended.length > 0);
    expect(first.ended).toEqual([join(dir, 'a.jsonl')]);
    const seenOfB = first.items.filter((item) => item.split === join(dir, 'b.jsonl')).length;
    const finished = first.snapshot.find((split) => split.id === join(dir, 'a.jsonl')) as FileSplit;
    expect(finished.finished).toBe(true);
    rmSync(join(dir, 'a.jsonl'));
    const rest = await readAll(source.createReader(readerContext()), first.snapshot);
    expect(rest.items.map((item) => item.value)).toEqual([{ b: 0 }, { b: 1 }, { b: 2 }, { b: 3 }].slice(seenOfB));
    expect([...rest.ended].sort()).toEqual(splits.map((split) => split.id).sort());
  });

  it('reports the end of a datagen or collection split that ended before the snapshot', async () => {
    // Datagen splits stride (split 0 owns 0 and 2, split 1 owns 1 and 3); collection splits are ranges.
    const cases: [Source<number>, number[]][] = [
      [new DataGenSource({ count: 4, numSplits: 2 }), [4, 5]],
      [fromCollection([0, 1, 2, 3], { numSplits: 2 }), [2, 4]],
    ];
    for (const [source, offsets] of cases) {
      const splits = await source.enumerateSplits();
      const first = await readAll(source.createReader(readerContext()), splits);
      const rest = await readAll(source.createReader(readerContext()), first.snapshot);
      expect(rest.items).toEqual([]);
      expect(first.snapshot.map((split) => (split as SourceSplit & { offset: number }).offset)).toEqual(offsets);
      expect([...rest.ended].sort()).toEqual(splits.map((split) => split.id).sort());
    }
  });

  it('redistributes the snapshots of 2 readers over 3 readers without loss or repetition', async () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 5; f++) {
      files[`f${f}.jsonl`] = Array.from({ length: 6 + f }, (_, i) => (i === 2 ? `bad ${f}` : JSON.stringify({ f, i }))).join('\n');
    }
    const dir = writeFiles(tempDir(), files);
    const sources: Source<unknown>[] = [
      new FileSource(dir, { chunkSize: 6 }) as Source<unknown>,
      fromCollection(Array.from({ length: 40 }, (_, i) => i), { numSplits: 5 }),
      new DataGenSource({ count: 40, numSplits: 5 }),
    ];
    for (const source of sources) {
      const splits = await source.enumerateSplits();
      const full = await readAll(source.createReader(readerContext()), splits);
      for (const cut of [0, 1, 4, 9, 100]) {
        const before = await Promise.all([0, 1].map((i) => readSome(source.createReader(readerContext(i, 2)), splitsForSubtask(splits, i, 2), cut, 2)));
        const combined = before.flatMap((result) => result.snapshot);
        expect(combined.map((split) => split.id).sort()).toEqual(splits.map((split) => split.id).sort());
        const after = await Promise.all([0, 1, 2].map((i) => readAll(source.createReader(readerContext(i, 3)), splitsForSubtask(combined, i, 3), 2)));
        expectExactResume(
          before.flatMap((result) => result.items),
          after.flatMap((result) => result.items),
          full.items,
          `${source.kind} cut ${cut}`,
        );
        expect(after.flatMap((result) => result.ended).sort(), `${source.kind} cut ${cut}`).toEqual(splits.map((split) => split.id).sort());
      }
    }
  });
});
