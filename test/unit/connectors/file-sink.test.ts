import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSink } from '../../../connectors/sinks/file-sink.ts';
import { sinkContext } from './contexts.ts';
import { useTempDirs } from './temp-dir.ts';
import { readCommittedOutput } from '../../../client/chaos/committed-output.ts';

const tempDir = useTempDirs();

describe('FileSink', () => {
  it('writes hidden in-progress files and commits them on finish', async () => {
    const dir = join(tempDir(), 'out', 'nested');
    const writer = new FileSink(dir).createWriter(sinkContext(1, 2));
    await writer.open();
    writer.write({ a: 1, s: '价格' });
    writer.write({ a: 2 });
    expect(readdirSync(dir)).toEqual([]);
    await writer.flush();
    const [inProgress] = readdirSync(dir);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(inProgress).toMatch(/^\.part-sink-1-1-[0-9a-f]{8}-0\.inprogress$/);
    writer.write({ a: 3 });
    await writer.flush();
    expect(readCommittedOutput(dir)).toEqual([]);
    await writer.finish();
    await writer.close();
    const committed = inProgress?.slice(1).replace(/\.inprogress$/, '.jsonl') ?? '';
    expect(readdirSync(dir)).toEqual([committed]);
    expect(readFileSync(join(dir, committed), 'utf8')).toBe('{"a":1,"s":"价格"}\n{"a":2}\n{"a":3}\n');
  });

  it('rolls to a new part file at the size threshold', async () => {
    const dir = tempDir();
    const writer = new FileSink(dir, { rollSizeBytes: 20 }).createWriter(sinkContext());
    await writer.open();
    for (let i = 0; i < 10; i++) {
      writer.write({ i });
      if (i % 2 === 1) await writer.flush();
    }
    await writer.finish();
    await writer.close();
    const names = readdirSync(dir).sort();
    expect(names.length).toBeGreaterThan(1);
    expect(names.every((name) => /^part-sink-1-0-[0-9a-f]{8}-\d+\.jsonl$/.test(name))).toBe(true);
    expect((readCommittedOutput(dir) as Array<{ i: number }>).map((r) => r.i).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('leaves only in-progress files when closed without finish', async () => {
    const dir = tempDir();
    const writer = new FileSink(dir, { rollSizeBytes: 5 }).createWriter(sinkContext());
    await writer.open();
    writer.write({ a: 1 });
    await writer.flush();
    writer.write({ a: 2 });
    await writer.flush();
    writer.write({ a: 3 });
    await writer.close();
    const names = readdirSync(dir);
    expect(names.length).toBe(2);
    expect(names.every((name) => name.startsWith('.'))).toBe(true);
    expect(readCommittedOutput(dir)).toEqual([]);
  });

  it('writes no file for no records, into an existing directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keep.txt'), 'x');
    const writer = new FileSink(dir).createWriter(sinkContext());
    await writer.open();
    await writer.flush();
    await writer.finish();
    await writer.close();
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });

  it('names parts of different writers of the same subtask and attempt apart', async () => {
    const dir = tempDir();
    for (let run = 0; run < 2; run++) {
      const writer = new FileSink(dir).createWriter(sinkContext());
      await writer.open();
      writer.write({ run });
      await writer.finish();
      await writer.close();
    }
    expect(readdirSync(dir)).toHaveLength(2);
    expect((readCommittedOutput(dir) as Array<{ run: number }>).map((r) => r.run).sort()).toEqual([0, 1]);
  });

  it('fails to open when the path is a file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const writer = new FileSink(join(dir, 'file')).createWriter(sinkContext());
    await expect(writer.open()).rejects.toThrow(/cannot create output directory/);
  });
});
