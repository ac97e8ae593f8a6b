import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore, type StoredJob } from '../../../jobmanager/ha/job-store.ts';

const dirs: string[] = [];
const stores: JobStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-jobstore-'));
  dirs.push(dir);
  return dir;
}

async function open(dir = tempDir()): Promise<JobStore> {
  const store = await JobStore.open(dir);
  stores.push(store);
  return store;
}

function job(jobId: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    jobId,
    graph: new TextEncoder().encode(JSON.stringify({ name: `graph of ${jobId}` })),
    bundle: Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + jobId.length) & 0xff),
    submittedAt: 1_000,
    config: { checkpointIntervalMs: 500, restart: { type: 'fixed-delay', attempts: 3, delayMs: 100 } },
    ...overrides,
  };
}

describe('JobStore', () => {
  it('round-trips a job through put, list and get', async () => {
    const store = await open();
    const stored = job('a1', { parallelismOverride: 4 });
    await store.putJob(stored);

    expect(await store.listJobs()).toEqual([
      { jobId: 'a1', state: 'CREATED', submittedAt: 1_000, parallelismOverride: 4, config: stored.config, latestCheckpoint: undefined },
    ]);
    const got = await store.getJob('a1');
    expect(got).toBeDefined();
    expect(Buffer.from(got!.graph).equals(Buffer.from(stored.graph))).toBe(true);
    expect(Buffer.from(got!.bundle).equals(Buffer.from(stored.bundle))).toBe(true);
    expect(got).toMatchObject({ jobId: 'a1', state: 'CREATED', submittedAt: 1_000, parallelismOverride: 4, config: stored.config, latestCheckpoint: undefined });
    expect(await store.getJob('unknown')).toBeUndefined();
    expect(await store.getJobState('a1')).toBe('CREATED');
  });

  it('leaves parallelismOverride out when the job has none', async () => {
    const store = await open();
    await store.putJob(job('a1'));
    const [summary] = await store.listJobs();
    expect(summary).toBeDefined();
    expect('parallelismOverride' in summary!).toBe(false);
  });

  it('refuses to store the same job id twice and rejects bad ids', async () => {
    const store = await open();
    await store.putJob(job('a1'));
    await expect(store.putJob(job('a1'))).rejects.toThrow(/already stored/);
    await expect(store.putJob(job('a/b'))).rejects.toThrow(/invalid job id/);
    await expect(store.putJob(job(''))).rejects.toThrow(/invalid job id/);
  });

  it('keeps the latest checkpoint pointer and ignores older ones', async () => {
    const store = await open();
    await store.putJob(job('a1'));
    expect(await store.setLatestCheckpoint('a1', { checkpointId: 1, metadataPath: '/ckpt/a1/chk-1/_metadata' })).toBe(true);
    expect(await store.setLatestCheckpoint('a1', { checkpointId: 3, metadataPath: '/ckpt/a1/chk-3/_metadata' })).toBe(true);
    expect(await store.setLatestCheckpoint('a1', { checkpointId: 2, metadataPath: '/ckpt/a1/chk-2/_metadata' })).toBe(false);
    expect((await store.getJob('a1'))?.latestCheckpoint).toEqual({ checkpointId: 3, metadataPath: '/ckpt/a1/chk-3/_metadata' });
    const [summary] = await store.listJobs();
    expect(summary?.latestCheckpoint).toEqual({ checkpointId: 3, metadataPath: '/ckpt/a1/chk-3/_metadata' });
  });

  it('applies updates in call order even when they are not awaited one by one', async () => {
    const store = await open();
    const writes = [store.putJob(job('a1'))];
    for (let id = 1; id <= 20; id++) writes.push(store.setLatestCheckpoint('a1', { checkpointId: id, metadataPath: `chk-${id}` }).then(() => undefined));
    writes.push(store.setJobState('a1', 'RUNNING').then(() => undefined));
    const listed = store.listJobs();
    await Promise.all(writes);
    expect(await listed).toMatchObject([{ jobId: 'a1', state: 'RUNNING', latestCheckpoint: { checkpointId: 20, metadataPath: 'chk-20' } }]);
  });

  it('rejects updates of unknown jobs and invalid pointers or states', async () => {
    const store = await open();
    await expect(store.setLatestCheckpoint('nope', { checkpointId: 1, metadataPath: 'x' })).rejects.toThrow(/not in the job store/);
    await expect(store.setJobState('nope', 'RUNNING')).rejects.toThrow(/not in the job store/);
    await store.putJob(job('a1'));
    await expect(store.setLatestCheckpoint('a1', { checkpointId: -1, metadataPath: 'x' })).rejects.toThrow(/checkpoint id/);
    await expect(store.setLatestCheckpoint('a1', { checkpointId: 1, metadataPath: '' })).rejects.toThrow(/metadata path/);
    await expect(store.setJobState('a1', 'SLEEPING' as never)).rejects.toThrow(/unknown job state/);
    expect(await store.getJobState('a1')).toBe('CREATED');
  });

  it('does not list terminal jobs for resume, but remembers how they ended', async () => {
    const store = await open();
    for (const id of ['running', 'restarting', 'finished', 'failed', 'canceled']) await store.putJob(job(id));
    await store.setJobState('running', 'RUNNING');
    await store.setJobState('restarting', 'RESTARTING');
    expect(await store.setJobState('finished', 'FINISHED')).toBe(true);
    await store.setJobState('failed', 'FAILED');
    await store.setLatestCheckpoint('canceled', { checkpointId: 7, metadataPath: 'chk-7' });
    await store.setJobState('canceled', 'CANCELED');

    expect((await store.listJobs()).map((j) => [j.jobId, j.state])).toEqual([
      ['restarting', 'RESTARTING'],
      ['running', 'RUNNING'],
    ]);
    expect(await store.getJob('finished')).toBeUndefined();
    expect(await store.getJobState('finished')).toBe('FINISHED');
    expect(await store.getJobState('canceled')).toBe('CANCELED');

    // A terminal state is final, and a checkpoint completing after the end is ignored.
    expect(await store.setJobState('failed', 'RUNNING')).toBe(false);
    expect(await store.setLatestCheckpoint('failed', { checkpointId: 9, metadataPath: 'chk-9' })).toBe(false);
    expect(await store.getJobState('failed')).toBe('FAILED');
    expect(await store.getJob('failed')).toBeUndefined();
  });

  it('removes a job entirely', async () => {
    const store = await open();
    await store.putJob(job('a1'));
    await store.setLatestCheckpoint('a1', { checkpointId: 1, metadataPath: 'chk-1' });
    await store.removeJob('a1');
    expect(await store.listJobs()).toEqual([]);
    expect(await store.getJob('a1')).toBeUndefined();
    expect(await store.getJobState('a1')).toBeUndefined();
    await store.removeJob('a1');
    await store.putJob(job('a1', { submittedAt: 5 }));
    expect((await store.getJob('a1'))?.latestCheckpoint).toBeUndefined();
  });

  it('survives close and reopen, as after a JobManager restart', async () => {
    const dir = tempDir();
    const first = await JobStore.open(dir);
    const a = job('a1', { parallelismOverride: 2, submittedAt: 10 });
    await first.putJob(a);
    await first.putJob(job('b2', { submittedAt: 20 }));
    await first.putJob(job('c3', { submittedAt: 30 }));
    await first.setJobState('a1', 'RUNNING');
    await first.setLatestCheckpoint('a1', { checkpointId: 42, metadataPath: '/ckpt/a1/chk-42/_metadata' });
    await first.setJobState('c3', 'FINISHED');
    await first.close();

    const second = await open(dir);
    expect(await second.listJobs()).toEqual([
      {
        jobId: 'a1',
        state: 'RUNNING',
        submittedAt: 10,
        parallelismOverride: 2,
        config: a.config,
        latestCheckpoint: { checkpointId: 42, metadataPath: '/ckpt/a1/chk-42/_metadata' },
      },
      { jobId: 'b2', state: 'CREATED', submittedAt: 20, config: job('b2').config, latestCheckpoint: undefined },
    ]);
    const got = await second.getJob('a1');
    expect(Buffer.from(got!.bundle).equals(Buffer.from(a.bundle))).toBe(true);
    expect(Buffer.from(got!.graph).equals(Buffer.from(a.graph))).toBe(true);
    expect(await second.getJobState('c3')).toBe('FINISHED');
    expect(await second.getJob('c3')).toBeUndefined();
  });

  it('keeps what was written before the JobManager process is SIGKILLed', async () => {
    const dir = tempDir();
    const storeModule = fileURLToPath(new URL('../../../jobmanager/ha/job-store.ts', import.meta.url));
    const script = `
      import { JobStore } from ${JSON.stringify(storeModule)};
      const store = await JobStore.open(process.argv[1]);
      await store.putJob({ jobId: 'k1', graph: Uint8Array.of(1, 2), bundle: Uint8Array.of(3, 4), submittedAt: 7, config: { a: 1 } });
      await store.setJobState('k1', 'RUNNING');
      await store.setLatestCheckpoint('k1', { checkpointId: 12, metadataPath: 'chk-12' });
      process.stdout.write('stored\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('stored')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`writer exited early with code ${code}`)));
      });
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    }

    const store = await open(dir);
    expect(await store.listJobs()).toEqual([
      { jobId: 'k1', state: 'RUNNING', submittedAt: 7, config: { a: 1 }, latestCheckpoint: { checkpointId: 12, metadataPath: 'chk-12' } },
    ]);
    expect(Array.from((await store.getJob('k1'))!.bundle)).toEqual([3, 4]);
  });

  it('keeps two jobs independent', async () => {
    const store = await open();
    const a = job('a1', { submittedAt: 1 });
    const b = job('b2', { submittedAt: 2, bundle: Uint8Array.of(9, 8, 7), config: { other: true } });
    await store.putJob(a);
    await store.putJob(b);
    await store.setLatestCheckpoint('a1', { checkpointId: 5, metadataPath: 'a-chk-5' });
    await store.setLatestCheckpoint('b2', { checkpointId: 2, metadataPath: 'b-chk-2' });
    await store.setJobState('a1', 'RUNNING');

    expect((await store.getJob('a1'))?.latestCheckpoint).toEqual({ checkpointId: 5, metadataPath: 'a-chk-5' });
    const gotB = await store.getJob('b2');
    expect(gotB).toMatchObject({ state: 'CREATED', config: { other: true }, latestCheckpoint: { checkpointId: 2, metadataPath: 'b-chk-2' } });
    expect(Array.from(gotB!.bundle)).toEqual([9, 8, 7]);

    await store.setJobState('a1', 'CANCELED');
    expect((await store.listJobs()).map((j) => j.jobId)).toEqual(['b2']);
    expect((await store.getJob('b2'))?.latestCheckpoint).toEqual({ checkpointId: 2, metadataPath: 'b-chk-2' });
    await store.removeJob('b2');
    expect(await store.getJobState('a1')).toBe('CANCELED');
  });
});
