import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkpointDirName,
  filesReferencedBy,
  jobCheckpointRoot,
  latestCheckpointIn,
  metadataPath,
  readMetadata,
  resolveStatePath,
  writeFileAtomic,
  writeMetadata,
} from '../../../common/checkpoint/checkpoint-storage.ts';
import type { CheckpointMetadata } from '../../../common/checkpoint/checkpoint-types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-storage-'));
  dirs.push(dir);
  return dir;
}

function metadata(checkpointId: number, root = '..'): CheckpointMetadata {
  const file = (path: string, kind: 'full' | 'delta', id: number) => ({ path, kind, checkpointId: id, bytes: 10 });
  return {
    version: 1,
    jobId: 'job',
    checkpointId,
    isSavepoint: root === '.',
    triggeredAt: 1,
    completedAt: 2,
    sizeBytes: 30,
    incrementalBytes: 10,
    root,
    operators: [
      {
        operatorId: 'op',
        parallelism: 2,
        maxParallelism: 128,
        subtasks: [
          { operatorId: 'op', subtask: 0, keyed: { keyGroupRange: { start: 0, end: 63 }, files: [file('shared/a.kst', 'full', 1), file('shared/b.kst', 'delta', checkpointId)] }, operatorState: {} },
          { operatorId: 'op', subtask: 1, keyed: { keyGroupRange: { start: 64, end: 127 }, files: [file('shared/a2.kst', 'full', 1)] }, operatorState: {} },
          { operatorId: 'op', subtask: 2, operatorState: { offsets: { mode: 'split', entries: [1] } } },
        ],
      },
    ],
  };
}

describe('checkpoint storage', () => {
  it('names the layout', () => {
    expect(jobCheckpointRoot('/data/chk', 'j1')).toBe('/data/chk/j1');
    expect(() => jobCheckpointRoot('/data/chk', '../x')).toThrow(/cannot name/);
    expect(checkpointDirName(12)).toBe('chk-12');
    expect(() => checkpointDirName(-1)).toThrow();
    expect(metadataPath('/r/chk-1')).toBe('/r/chk-1/_metadata');
    expect(resolveStatePath('/r', 'shared/a.kst')).toBe('/r/shared/a.kst');
    expect(() => resolveStatePath('/r', '../a.kst')).toThrow(/not inside/);
    expect(() => resolveStatePath('/r', '/etc/passwd')).toThrow(/not inside/);
  });

  it('writes files atomically, leaving no temp files', async () => {
    const dir = tempDir();
    const path = join(dir, 'file');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, Buffer.from('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['file']);
    await expect(writeFileAtomic(join(dir, 'missing', 'file'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('writes and reads metadata, given its file or its directory, resolving the root', async () => {
    const jobRoot = tempDir();
    const dir = join(jobRoot, checkpointDirName(3));
    await writeMetadata(dir, metadata(3));
    for (const given of [dir, metadataPath(dir)]) {
      const read = await readMetadata(given);
      expect(read.metadata).toEqual(metadata(3));
      expect(read.metadataFile).toBe(metadataPath(dir));
      expect(read.root).toBe(jobRoot);
    }
    const savepoint = join(tempDir(), 'sp');
    await writeMetadata(savepoint, metadata(4, '.'));
    expect((await readMetadata(savepoint)).root).toBe(savepoint);
  });

  it('gives clear errors for missing and corrupt metadata', async () => {
    const dir = tempDir();
    await expect(readMetadata(join(dir, 'nope'))).rejects.toThrow(new RegExp(`no checkpoint metadata at ${join(dir, 'nope', '_metadata')}`));
    writeFileSync(metadataPath(dir), '{"version": 1, "jobId": "j", "checkp');
    await expect(readMetadata(dir)).rejects.toThrow(new RegExp(`${metadataPath(dir)} is corrupt`));
    writeFileSync(metadataPath(dir), JSON.stringify({ ...metadata(1), version: 9 }));
    await expect(readMetadata(dir)).rejects.toThrow(/corrupt: unsupported version 9/);
  });

  it('finds the latest complete checkpoint, skipping stray files and incomplete directories', async () => {
    const jobRoot = tempDir();
    expect(await latestCheckpointIn(join(jobRoot, 'missing'))).toBeUndefined();
    expect(await latestCheckpointIn(jobRoot)).toBeUndefined();
    await writeMetadata(join(jobRoot, 'chk-2'), metadata(2));
    await writeMetadata(join(jobRoot, 'chk-10'), metadata(10));
    mkdirSync(join(jobRoot, 'chk-11'));
    mkdirSync(join(jobRoot, 'chk-12'));
    writeFileSync(join(jobRoot, 'chk-12', '._metadata.abc.tmp'), '{');
    mkdirSync(join(jobRoot, 'chk-13'));
    writeFileSync(metadataPath(join(jobRoot, 'chk-13')), 'garbage');
    mkdirSync(join(jobRoot, 'shared'));
    writeFileSync(join(jobRoot, 'chk-99'), 'a file, not a directory');
    const latest = await latestCheckpointIn(jobRoot);
    expect(latest?.metadata.checkpointId).toBe(10);
    expect(latest?.root).toBe(jobRoot);
  });

  it('lists the files a checkpoint references', () => {
    expect([...filesReferencedBy(metadata(5))].sort()).toEqual(['shared/a.kst', 'shared/a2.kst', 'shared/b.kst']);
  });
});
