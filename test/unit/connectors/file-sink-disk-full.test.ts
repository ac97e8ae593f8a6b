/**
 * A file sink on a full disk: the error names the file, and the next writer of the subtask
 * deletes the in-progress parts left behind, so a restart proceeds once there is space again.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSinkWriter } from '../../../connectors/sinks/file-sink-writer.ts';
import { readCommittedOutput } from '../../../client/chaos/committed-output.ts';
import { sinkContext } from './contexts.ts';
import { useTempDirs } from './temp-dir.ts';

const tempDir = useTempDirs();

// A real ENOSPC without root or a tiny file system: writes to /dev/full fail with ENOSPC in the
// kernel, so the in-progress part is made a symlink to it before the writer opens it (its name is
// known in advance because the test picks the writer id). The writer then sees exactly what a
// full disk gives it: open succeeds, write(2) fails with ENOSPC.
const DEV_FULL = '/dev/full';
const haveDevFull = existsSync(DEV_FULL);
if (!haveDevFull) console.log(`file-sink-disk-full: skipping the ENOSPC test, ${DEV_FULL} does not exist on this platform`);

const ROLL = 64 * 1024 * 1024;

describe('FileSinkWriter on a full disk', () => {
  it.skipIf(!haveDevFull)('fails with ENOSPC naming the part file; the restarted subtask deletes what was left and writes', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const context = sinkContext(0, 2, 0, { checkpointing: true });
    const failingPart = join(dir, '.part-sink-1-0-0000dead-0.inprogress');
    symlinkSync(DEV_FULL, failingPart);
    // What an earlier attempt left when the disk filled up: a large in-progress part.
    writeFileSync(join(dir, '.part-sink-1-0-0000beef-0.inprogress'), Buffer.alloc(2 * 1024 * 1024, 0x61));
    // Not this subtask's or this operator's, or not in progress: a new writer leaves them alone.
    const untouched = ['.part-sink-1-1-0000beef-0.inprogress', '.part-other-0-0000beef-0.inprogress', '.part-sink-1-0-0000cafe-0.pending'];
    for (const name of untouched) writeFileSync(join(dir, name), '{"old":1}\n');

    const failing = new FileSinkWriter(dir, ROLL, context, '0000dead');
    await failing.open();
    failing.write({ n: 1 });
    const error = await failing.flush().then(
      () => undefined,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(error?.message).toMatch(new RegExp(`^file sink: writing "${failingPart.replace(/[.]/g, '\\.')}" failed: ENOSPC: no space left on device`));
    expect(error?.code).toBe('ENOSPC');
    await failing.close();

    const restarted = new FileSinkWriter(dir, ROLL, context, '0000f00d');
    await restarted.open();
    expect(readdirSync(dir).sort()).toEqual([...untouched].sort());
    restarted.write({ n: 1 });
    await restarted.flush();
    await restarted.commit(await restarted.preCommit(1));
    await restarted.close();
    expect(readCommittedOutput(dir)).toEqual([{ n: 1 }]);
  });

  it('names the part file when it cannot be created', async () => {
    const dir = tempDir();
    const part = join(dir, '.part-sink-1-0-0000dead-0.inprogress');
    mkdirSync(part, { recursive: true });
    const writer = new FileSinkWriter(dir, ROLL, sinkContext(), '0000dead');
    await writer.open();
    writer.write({ n: 1 });
    await expect(writer.flush()).rejects.toThrow(`file sink: creating "${part}" failed: EISDIR`);
    await writer.close();
  });

  it('names both paths when a commit cannot rename', async () => {
    const dir = tempDir();
    const writer = new FileSinkWriter(dir, ROLL, sinkContext(), '0000dead');
    await writer.open();
    writer.write({ n: 1 });
    // The committed name taken by a non-empty directory: the rename fails.
    mkdirSync(join(dir, 'part-sink-1-0-0000dead-0.jsonl', 'x'), { recursive: true });
    await expect(writer.finish()).rejects.toThrow(
      `file sink: renaming to "${join(dir, 'part-sink-1-0-0000dead-0.jsonl')}" "${join(dir, '.part-sink-1-0-0000dead-0.inprogress')}" failed:`,
    );
    await writer.close();
  });
});
