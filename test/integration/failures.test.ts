/** Cancellation and TaskManager loss on real processes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

const JOB = 'test/jobs/datagen-keyed';

describe('job failures and cancellation', () => {
  let cluster: MiniCluster;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-failures-'));
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1500'] });
  });

  afterEach(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cancel stops every task and frees every slot', async () => {
    const jobId = await cluster.submit(JOB, 4, { rate: '2000', out: `file:${join(dir, 'out')}` });
    await cluster.waitForAllTasksRunning(jobId);
    await cluster.client.cancel(jobId);
    const final = await cluster.waitForState(jobId, ['CANCELED', 'FAILED', 'FINISHED']);
    expect(final.state).toBe('CANCELED');
    expect(final.tasks).toHaveLength(8);
    for (const t of final.tasks) expect(t.state).toBe('CANCELED');
    await waitFor(async () => (await cluster.rest<Record<string, number>>('/overview'))['slots-available'] === 4, 'slots to be free');
    expect(readCommittedOutput(join(dir, 'out'))).toEqual([]);
  });

  it('fails the job with the lost TaskManager named in status when a TaskManager is killed', async () => {
    const jobId = await cluster.submit(JOB, 4, { rate: '2000', out: `file:${join(dir, 'out')}` });
    await cluster.waitForAllTasksRunning(jobId);
    await cluster.killTaskManager(0);
    const final = await cluster.waitForState(jobId, ['FAILED', 'CANCELED', 'FINISHED']);
    expect(final.state).toBe('FAILED');
    expect(final.failure).toMatch(/TaskManager|channel|producer|connection/i);
    const overview = await cluster.rest<Record<string, number>>('/overview');
    expect(overview['jobs-failed']).toBe(1);
    await waitFor(async () => (await cluster.rest<Record<string, number>>('/overview')).taskmanagers === 1, 'the dead TaskManager to be dropped');
  });
});
