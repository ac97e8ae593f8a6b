/**
 * Normal operations log no errors: cancel, stop with a savepoint and rescale on a live cluster
 * leave no log line at level 50 (error) or above on the JobManager or any TaskManager. One slot per
 * TaskManager, so that every consumer reads remote producers as well as a local one.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordCountInput } from '../chaos/chaos-inputs.ts';
import type { ClusterProcess } from '../../client/local-cluster.ts';
import { MiniCluster } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

const JOB = 'jobs/examples/word-count';
/** pino's level of `error`. */
const ERROR_LEVEL = 50;

describe('cancel, stop and rescale on a live cluster', () => {
  let cluster: MiniCluster;
  let dir: string;
  const lines: { process: string; line: string }[] = [];

  /** Keeps every stderr line a process writes from now on. */
  function capture(name: string, proc: ClusterProcess | undefined): void {
    const stderr = proc?.child.stderr;
    if (!stderr) throw new Error(`${name} has no stderr to read`);
    createInterface({ input: stderr }).on('line', (line) => lines.push({ process: name, line }));
  }

  /** Log lines at error level or above. */
  function errors(): string[] {
    const found: string[] = [];
    for (const { process, line } of lines) {
      let level: unknown;
      try {
        level = (JSON.parse(line) as { level?: unknown }).level;
      } catch {
        continue;
      }
      if (typeof level === 'number' && level >= ERROR_LEVEL) found.push(`${process}: ${line}`);
    }
    return found;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-quiet-'));
    cluster = await MiniCluster.start({ taskManagers: 3, slotsPerTaskManager: 1, jobManagerArgs: ['--savepoint-root', join(dir, 'savepoints')] });
    capture('jobmanager', cluster.local.jobManager);
    cluster.taskManagers.forEach((tm, i) => capture(`taskmanager-${i}`, tm));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Submits word-count over a slowly replayed input, and waits for its first checkpoint. */
  async function startJob(name: string): Promise<string> {
    mkdirSync(join(dir, name));
    const input = wordCountInput(join(dir, name), 30_000);
    const jobId = await cluster.submit(JOB, 2, { in: `file:${input.glob}?rate=500`, out: `file:${join(dir, `${name}-out`)}` }, { settings: { checkpointIntervalMs: 200 } });
    await waitFor(async () => ((await cluster.client.status(jobId)).checkpoints?.completed ?? 0) >= 1 || undefined, `a checkpoint of ${name}`);
    return jobId;
  }

  it('logs no error when a job is cancelled', async () => {
    const jobId = await startJob('cancelled');
    await cluster.client.cancel(jobId);
    expect((await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'])).state).toBe('CANCELED');
    await waitFor(async () => ((await cluster.client.status(jobId)).tasks.every((t) => t.state === 'CANCELED') ? true : undefined), 'every task CANCELED');
    expect(errors()).toEqual([]);
  }, 120_000);

  it('logs no error when a job is rescaled and then stopped with a savepoint', async () => {
    const jobId = await startJob('rescaled');
    expect(await cluster.client.rescale(jobId, 3)).toContain('savepoint-');
    await waitFor(async () => {
      const s = await cluster.client.status(jobId);
      return s.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.attempt > 0 && t.state === 'RUNNING') ? s : undefined;
    }, 'the rescaled attempt running');
    expect(await cluster.client.savepoint(jobId, join(dir, 'savepoints'), true)).toContain('savepoint-');
    expect((await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'])).state).toBe('FINISHED');
    expect(errors()).toEqual([]);
  }, 120_000);
});
