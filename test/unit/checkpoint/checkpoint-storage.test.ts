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
import type { CheckpointMetadata, OperatorSubtaskState } from '../../../common/checkpoint/checkpoint-types.ts';
import { checkpointMetadataCodec } from '../../../common/rpc/message-codec.ts';

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
  const file = (path: string, kind: 'FULL' | 'DELTA', id: number) => ({ path, kind, checkpointId: id, bytes: 10 });
  return {
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
          { operatorId: 'op', subtask: 0, keyed: { keyGroupRange: { start: 0, end: 63 }, files: [file('shared/a.kst', 'FULL', 1), file('shared/b.kst', 'DELTA', checkpointId)] }, operatorState: {} },
          { operatorId: 'op', subtask: 1, keyed: { keyGroupRange: { start: 64, end: 127 }, files: [file('shared/a2.kst', 'FULL', 1)] }, operatorState: {} },
        ],
      },
      {
        operatorId: 'src',
        parallelism: 1,
        maxParallelism: 128,
        subtasks: [{ operatorId: 'src', subtask: 0, keyed: null, operatorState: { offsets: { mode: 'SPLIT', entries: [Buffer.from([1, 2]), Buffer.alloc(0)] } } }],
      },
    ],
  };
}

/** `metadata(1)` with the first subtask's keyed state replaced. */
function withKeyed(keyed: CheckpointMetadata['operators'][number]['subtasks'][number]['keyed']): CheckpointMetadata {
  const m = metadata(1);
  const [op, src] = m.operators as [CheckpointMetadata['operators'][number], CheckpointMetadata['operators'][number]];
  const [first, second] = op.subtasks as [OperatorSubtaskState, OperatorSubtaskState];
  return { ...m, operators: [{ ...op, subtasks: [{ ...first, keyed }, second] }, src] };
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

  it('writes a binary CheckpointMetadata message behind its magic bytes and format version', async () => {
    const dir = tempDir();
    await writeMetadata(dir, metadata(3));
    const bytes = readFileSync(metadataPath(dir));
    expect(bytes.subarray(0, 5)).toEqual(Buffer.from('SLCM\x01', 'latin1'));
    expect(checkpointMetadataCodec.decode(bytes.subarray(5))).toEqual(metadata(3));
  });

  it('gives clear errors, naming the file, for missing, foreign, truncated and corrupt metadata', async () => {
    const dir = tempDir();
    const file = metadataPath(dir);
    await expect(readMetadata(join(dir, 'nope'))).rejects.toThrow(new RegExp(`no checkpoint metadata at ${join(dir, 'nope', '_metadata')}`));
    writeFileSync(file, JSON.stringify({ version: 1, jobId: 'j', checkpointId: 1, root: '..', operators: [] }, null, 2));
    await expect(readMetadata(dir)).rejects.toThrow(`${file} is JSON checkpoint metadata of an earlier Sluice, which this version cannot restore from`);
    writeFileSync(file, 'PK\x03\x04 an archive');
    await expect(readMetadata(dir)).rejects.toThrow(`${file} is not Sluice checkpoint metadata (it does not start with "SLCM")`);
    writeFileSync(file, '');
    await expect(readMetadata(dir)).rejects.toThrow(`${file} is not Sluice checkpoint metadata`);

    await writeMetadata(dir, metadata(1));
    const good = readFileSync(file);
    writeFileSync(file, Buffer.concat([good.subarray(0, 4), Buffer.of(9), good.subarray(5)]));
    await expect(readMetadata(dir)).rejects.toThrow(`checkpoint metadata ${file} has the unsupported format version 9`);
    writeFileSync(file, good.subarray(0, good.length - 7));
    await expect(readMetadata(dir)).rejects.toThrow(`checkpoint metadata ${file} is corrupt`);
  });

  it.each([
    ['a state file outside the root', withKeyed({ keyGroupRange: { start: 0, end: 63 }, files: [{ path: '../../elsewhere.kst', kind: 'FULL', checkpointId: 1, bytes: 1 }] }), /subtask 0: keyed state: state file path "\.\.\/\.\.\/elsewhere\.kst" is not inside/],
    ['a range beyond the subtask', withKeyed({ keyGroupRange: { start: 0, end: 64 }, files: [{ path: 'shared/a.kst', kind: 'FULL', checkpointId: 1, bytes: 1 }] }), /key-group range \[0, 64\] is outside the key groups \[0, 63\]/],
    ['a handle without a range', withKeyed({ keyGroupRange: null as never, files: [] }), /keyed state: it has no key-group range/],
    ['a delta first', withKeyed({ keyGroupRange: { start: 0, end: 63 }, files: [{ path: 'shared/a.kst', kind: 'DELTA', checkpointId: 1, bytes: 1 }] }), /is a delta but comes first/],
    ['a file of a later checkpoint', withKeyed({ keyGroupRange: { start: 0, end: 63 }, files: [{ path: 'shared/a.kst', kind: 'FULL', checkpointId: 2, bytes: 1 }] }), /claims checkpoint 2, after checkpoint 1/],
    ['a subtask beyond the parallelism', { ...metadata(1), operators: [{ ...metadata(1).operators[1]!, parallelism: 1, subtasks: [{ ...metadata(1).operators[1]!.subtasks[0]!, subtask: 1 }] }] }, /operator "src" lists the state of "src" subtask 1/],
    ['an absolute root', { ...metadata(1), root: '/somewhere' }, /storage root "\/somewhere" is not a relative path/],
  ])('refuses metadata with %s', async (_what, bad, problem) => {
    const dir = tempDir();
    await writeMetadata(dir, bad);
    const error = await readMetadata(dir).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`checkpoint metadata ${metadataPath(dir)} is corrupt: `);
    expect((error as Error).message).toMatch(problem);
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
