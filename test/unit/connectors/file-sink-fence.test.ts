/**
 * The file sink's attempt fence: once a later attempt of a job has opened a writer in a
 * directory, a writer of an earlier attempt (a task the job was restarted without, still running
 * on a TaskManager that was cut off) publishes nothing, neither by commit nor by finish, and
 * cannot open again; other jobs and other sink operators in the same directory are not fenced.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SinkContext } from '../../../common/connector/sink.ts';
import { FileSink } from '../../../connectors/sinks/file-sink.ts';
import type { FileSinkWriter } from '../../../connectors/sinks/file-sink-writer.ts';
import { readCommittedOutput } from '../../../client/chaos/committed-output.ts';
import { sinkContext } from './contexts.ts';
import { useTempDirs } from './temp-dir.ts';

const tempDir = useTempDirs();

/** An opened writer of subtask 0 of 1 of attempt `attempt`. */
async function openWriter(dir: string, attempt: number, overrides: Partial<SinkContext> = {}): Promise<FileSinkWriter> {
  const writer = new FileSink(dir).createWriter(sinkContext(0, 1, attempt, { checkpointing: true, ...overrides }));
  await writer.open();
  return writer;
}

function markers(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('.attempt-'))
    .sort();
}

describe('FileSinkWriter attempt fence', () => {
  it('refuses the commit of an earlier attempt once a later one opened, and publishes none of its files', async () => {
    const dir = tempDir();
    const stale = await openWriter(dir, 0);
    stale.write({ from: 'attempt 0' });
    const transactions = await stale.preCommit(7);
    expect(transactions).toHaveLength(1);
    const current = await openWriter(dir, 1);
    await expect(stale.commit(transactions)).rejects.toThrow(
      `file sink: attempt 0 of subtask 0 of sink sink-1 (job job-1) may not commit in "${dir}": attempt 1 of the job has taken over (marker ".attempt-sink-1-job-1-1")`,
    );
    expect(readCommittedOutput(dir)).toEqual([]);
    expect(readdirSync(dir)).toContain(transactions[0]?.file);
    current.write({ from: 'attempt 1' });
    await current.commit(await current.preCommit(8));
    expect(readCommittedOutput(dir)).toEqual([{ from: 'attempt 1' }]);
    await stale.close();
    await current.close();
  });

  it('refuses to publish on finish without checkpointing once a later attempt opened', async () => {
    const dir = tempDir();
    const stale = await openWriter(dir, 2, { checkpointing: false });
    stale.write({ from: 'attempt 2' });
    await stale.flush();
    const current = await openWriter(dir, 3, { checkpointing: false });
    await expect(stale.finish()).rejects.toThrow('attempt 2 of subtask 0 of sink sink-1 (job job-1) may not publish its parts');
    expect(readCommittedOutput(dir)).toEqual([]);
    await stale.close();
    await current.close();
  });

  it('lets no writer of an earlier attempt open after a later one did', async () => {
    const dir = tempDir();
    await (await openWriter(dir, 4)).close();
    await expect(openWriter(dir, 3)).rejects.toThrow('attempt 3 of subtask 0 of sink sink-1 (job job-1) may not open');
  });

  it('keeps the marker of the newest attempt only; the first attempt leaves none', async () => {
    const dir = tempDir();
    await (await openWriter(dir, 0)).close();
    expect(markers(dir)).toEqual([]);
    await (await openWriter(dir, 1)).close();
    await (await openWriter(dir, 1)).close();
    expect(markers(dir)).toEqual(['.attempt-sink-1-job-1-1']);
    await (await openWriter(dir, 5)).close();
    expect(markers(dir)).toEqual(['.attempt-sink-1-job-1-5']);
  });

  it('does not fence other jobs or other sink operators writing into the same directory', async () => {
    const dir = tempDir();
    const otherJob = await openWriter(dir, 0, { jobId: 'job-2' });
    const otherSink = await openWriter(dir, 0, { operatorId: 'sink-2' });
    await (await openWriter(dir, 9)).close();
    otherJob.write({ job: 2 });
    await otherJob.commit(await otherJob.preCommit(1));
    otherSink.write({ sink: 2 });
    await otherSink.commit(await otherSink.preCommit(1));
    expect(readCommittedOutput(dir)).toEqual(expect.arrayContaining([{ job: 2 }, { sink: 2 }]));
    expect(readCommittedOutput(dir)).toHaveLength(2);
    await otherJob.close();
    await otherSink.close();
  });
});
