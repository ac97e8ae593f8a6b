import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTwoPhaseCommitWriter } from '../../../common/connector/sink.ts';
import { CollectSink } from '../../../connectors/sinks/collect-sink.ts';
import { FileSink } from '../../../connectors/sinks/file-sink.ts';
import type { FileSinkWriter, FileTransaction } from '../../../connectors/sinks/file-sink-writer.ts';
import { sinkContext } from './contexts.ts';
import { useTempDirs } from './temp-dir.ts';
import { readCommittedOutput } from '../../../client/chaos/committed-output.ts';

const tempDir = useTempDirs();

function hiddenFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('.'))
    .sort();
}

/** An opened writer of sink subtask `subtask` of `parallelism`, in a checkpointing job. */
async function openWriter(dir: string, subtask = 0, parallelism = 1, options: { rollSizeBytes?: number; operatorId?: string } = {}): Promise<FileSinkWriter> {
  const context = sinkContext(subtask, parallelism, 0, { checkpointing: true, ...(options.operatorId ? { operatorId: options.operatorId } : {}) });
  const writer = new FileSink(dir, options.rollSizeBytes === undefined ? {} : { rollSizeBytes: options.rollSizeBytes }).createWriter(context);
  await writer.open();
  return writer;
}

/** Writes records and flushes them. */
async function writeAll(writer: FileSinkWriter, records: readonly unknown[]): Promise<void> {
  for (const record of records) writer.write(record);
  await writer.flush();
}

describe('FileSinkWriter two-phase commit', () => {
  it('is a two-phase-commit writer; a collect writer is not', () => {
    expect(isTwoPhaseCommitWriter(new FileSink(tempDir()).createWriter(sinkContext()))).toBe(true);
    expect(isTwoPhaseCommitWriter(new CollectSink().createWriter(sinkContext()))).toBe(false);
  });

  it('makes pre-committed data durable but invisible until commit', async () => {
    const dir = tempDir();
    const writer = await openWriter(dir, 1, 2);
    await writeAll(writer, [{ a: 1 }, { a: 2 }]);
    writer.write({ a: 3 });
    const transactions = await writer.preCommit(1);
    expect(JSON.parse(JSON.stringify(transactions))).toEqual(transactions);
    expect(transactions).toHaveLength(1);
    expect(transactions[0]?.file).toMatch(/^\.part-sink-1-1-[0-9a-f]{8}-0\.pending$/);
    expect(transactions[0]?.committed).toMatch(/^part-sink-1-1-[0-9a-f]{8}-0\.jsonl$/);
    expect(readCommittedOutput(dir)).toEqual([]);
    expect(hiddenFiles(dir)).toEqual([transactions[0]?.file]);
    await writer.commit(transactions);
    expect(readCommittedOutput(dir)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(hiddenFiles(dir)).toEqual([]);
    await writer.close();
  });

  it('commits only the transactions of the completed checkpoint', async () => {
    const dir = tempDir();
    const writer = await openWriter(dir);
    await writeAll(writer, [{ c: 1 }]);
    const first = await writer.preCommit(1);
    await writeAll(writer, [{ c: 2 }]);
    const second = await writer.preCommit(2);
    expect(second[0]?.file).not.toBe(first[0]?.file);
    await writer.commit(first);
    expect(readCommittedOutput(dir)).toEqual([{ c: 1 }]);
    expect(hiddenFiles(dir)).toEqual(second.map((t) => t.file));
    await writer.commit(second);
    expect((readCommittedOutput(dir) as Array<{ c: number }>).map((r) => r.c).sort()).toEqual([1, 2]);
    await writer.close();
  });

  it('returns no transaction when nothing was written, and one per rolled part', async () => {
    const dir = tempDir();
    const writer = await openWriter(dir, 0, 1, { rollSizeBytes: 5 });
    expect(await writer.preCommit(1)).toEqual([]);
    for (let i = 0; i < 5; i++) await writeAll(writer, [{ i }]);
    const transactions = await writer.preCommit(2);
    expect(transactions).toHaveLength(5);
    expect(await writer.preCommit(3)).toEqual([]);
    await writer.commit(transactions);
    expect((readCommittedOutput(dir) as Array<{ i: number }>).map((r) => r.i).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(hiddenFiles(dir)).toEqual([]);
    await writer.close();
  });

  it('treats a second commit as a no-op and fails when a transaction has vanished', async () => {
    const dir = tempDir();
    const writer = await openWriter(dir);
    await writeAll(writer, [{ x: 1 }]);
    const transactions = await writer.preCommit(1);
    await writer.commit(transactions);
    await writer.commit(transactions);
    expect(readCommittedOutput(dir)).toEqual([{ x: 1 }]);
    const lost: FileTransaction = { file: '.part-sink-1-0-00000000-9.pending', committed: 'part-sink-1-0-00000000-9.jsonl' };
    await expect(writer.commit([lost])).rejects.toThrow(/neither it nor its pending file .* exists/);
    await expect(writer.commit([{ file: '../x.pending', committed: 'x.jsonl' }])).rejects.toThrow(/plain file names/);
    await writer.close();
  });

  it('only flushes on finish when checkpointing; the final checkpoint commits', async () => {
    const dir = tempDir();
    const writer = await openWriter(dir);
    writer.write({ last: true });
    await writer.finish();
    expect(readCommittedOutput(dir)).toEqual([]);
    expect(hiddenFiles(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, hiddenFiles(dir)[0] ?? ''), 'utf8')).toBe('{"last":true}\n');
    const transactions = await writer.preCommit(7);
    await writer.commit(transactions);
    await writer.close();
    expect(readCommittedOutput(dir)).toEqual([{ last: true }]);
    expect(hiddenFiles(dir)).toEqual([]);
  });

  it('commits on finish without checkpointing, as before', async () => {
    const dir = tempDir();
    const writer = new FileSink(dir).createWriter(sinkContext());
    await writer.open();
    writer.write({ plain: 1 });
    await writer.finish();
    await writer.close();
    expect(readCommittedOutput(dir)).toEqual([{ plain: 1 }]);
    expect(hiddenFiles(dir)).toEqual([]);
  });

  it('recovers: commits the restored checkpoint and deletes leftovers it does not keep', async () => {
    const dir = tempDir();
    const crashed = await openWriter(dir);
    await writeAll(crashed, [{ cp: 1 }]);
    const restored = await crashed.preCommit(1);
    await writeAll(crashed, [{ cp: 2 }]);
    await crashed.preCommit(2);
    await writeAll(crashed, [{ cp: 3 }]);
    await crashed.close();

    const other = await openWriter(dir, 0, 1, { operatorId: 'other.sink' });
    await writeAll(other, [{ other: 1 }]);
    await other.preCommit(1);
    await writeAll(other, [{ other: 2 }]);
    await other.close();
    const otherFiles = hiddenFiles(dir).filter((name) => name.startsWith('.part-other_sink-'));
    expect(otherFiles).toHaveLength(2);
    writeFileSync(join(dir, '.unrelated.pending'), 'x');
    writeFileSync(join(dir, 'part-sink-1-0-12345678-0.jsonl'), '{"old":1}\n');

    const recovering = await openWriter(dir);
    await recovering.recover(restored, restored);
    expect((readCommittedOutput(dir) as object[]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ cp: 1 }, { old: 1 }]);
    expect(hiddenFiles(dir)).toEqual(['.unrelated.pending', ...otherFiles].sort());

    await recovering.recover(restored, restored);
    expect(readCommittedOutput(dir)).toHaveLength(2);
    await writeAll(recovering, [{ cp: 4 }]);
    await recovering.commit(await recovering.preCommit(3));
    await recovering.close();
    expect(readCommittedOutput(dir)).toHaveLength(3);
  });

  it('commits restored transactions in the directory they were written in, when the restored sink writes elsewhere', async () => {
    const before = tempDir();
    const after = tempDir();
    const crashed = await openWriter(before);
    await writeAll(crashed, [{ cp: 1 }]);
    const restored = JSON.parse(JSON.stringify(await crashed.preCommit(1))) as FileTransaction[];
    await crashed.close();

    const recovering = await openWriter(after);
    await recovering.recover(restored, restored);
    expect(readCommittedOutput(before)).toEqual([{ cp: 1 }]);
    expect(hiddenFiles(before)).toEqual([]);
    expect(readdirSync(after)).toEqual([]);
    // Committed before: a second recovery finds it committed there.
    await recovering.recover(restored, restored);
    expect(readCommittedOutput(before)).toEqual([{ cp: 1 }]);
    await recovering.close();
  });

  it('recovers after rescaling from 4 to 2 subtasks: each file is handled by one subtask', async () => {
    const dir = tempDir();
    const restored: FileTransaction[][] = [];
    for (let subtask = 0; subtask < 4; subtask++) {
      const writer = await openWriter(dir, subtask, 4);
      await writeAll(writer, [{ subtask, cp: 1 }]);
      restored.push(await writer.preCommit(1));
      await writeAll(writer, [{ subtask, cp: 2 }]);
      await writer.preCommit(2);
      await writeAll(writer, [{ subtask, cp: 3 }]);
      await writer.close();
    }
    const keep = restored.flat();
    const hiddenOf = (subtask: number): string[] => hiddenFiles(dir).filter((name) => name.startsWith(`.part-sink-1-${subtask}-`));
    for (let subtask = 0; subtask < 4; subtask++) expect(hiddenOf(subtask)).toHaveLength(3);

    const first = await openWriter(dir, 0, 2);
    await first.recover([...(restored[0] ?? []), ...(restored[2] ?? [])], keep);
    expect(hiddenOf(0)).toEqual([]);
    expect(hiddenOf(2)).toEqual([]);
    expect(hiddenOf(1)).toHaveLength(3);
    expect(hiddenOf(3)).toHaveLength(3);
    expect(readCommittedOutput(dir)).toHaveLength(2);

    const second = await openWriter(dir, 1, 2);
    await second.recover([...(restored[1] ?? []), ...(restored[3] ?? [])], keep);
    expect(hiddenFiles(dir)).toEqual([]);
    const lines = readCommittedOutput(dir) as Array<{ subtask: number; cp: number }>;
    expect(lines.every((line) => line.cp === 1)).toBe(true);
    expect(lines.map((line) => line.subtask).sort()).toEqual([0, 1, 2, 3]);
    await first.close();
    await second.close();
  });

  it('keeps pending files of the restored checkpoint that another subtask commits', async () => {
    const dir = tempDir();
    const restored: FileTransaction[] = [];
    for (let subtask = 0; subtask < 2; subtask++) {
      const writer = await openWriter(dir, subtask, 2);
      await writeAll(writer, [{ subtask }]);
      restored.push(...(await writer.preCommit(1)));
      await writer.close();
    }
    const zero = await openWriter(dir, 0, 2);
    await zero.recover([], restored);
    expect(hiddenFiles(dir)).toHaveLength(2);
    const one = await openWriter(dir, 1, 2);
    await one.recover(restored, restored);
    expect(hiddenFiles(dir)).toEqual([]);
    expect((readCommittedOutput(dir) as Array<{ subtask: number }>).map((line) => line.subtask).sort()).toEqual([0, 1]);
    await zero.close();
    await one.close();
  });
});
