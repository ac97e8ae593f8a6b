/**
 * Recovery on real processes: a killed TaskManager restarts the job from its latest checkpoint
 * with exactly-once output; a poison record exhausts the restart strategy and fails the job with
 * its cause; a savepoint restores at other parallelisms with identical results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareOutput, windowCountInput, wordCountInput } from '../chaos/chaos-inputs.ts';
import { readMetadata } from '../../common/checkpoint/checkpoint-storage.ts';
import { LOCAL_WINDOW_PARTIALS_STATE } from '../../taskmanager/operators/window/local-window-aggregate-operator.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

const POISON = 'test/jobs/poison';

describe('recovery from checkpoints', () => {
  let cluster: MiniCluster;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-recovery-'));
    cluster = await MiniCluster.start({ taskManagers: 3, slotsPerTaskManager: 1, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1200', '--savepoint-root', join(dir, 'savepoints')] });
  });

  afterEach(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts from the latest checkpoint when a TaskManager is killed, losing and duplicating nothing', async () => {
    const out = join(dir, 'out');
    const jobId = await cluster.submit(POISON, 2, { count: '20000', rate: '2500', out: `file:${out}` }, { settings: { checkpointIntervalMs: 200 } });
    await waitFor(async () => ((await cluster.client.status(jobId)).checkpoints?.completed ?? 0) >= 2 || undefined, 'two checkpoints');
    const before = await cluster.client.status(jobId);
    const victim = cluster.taskManagers.findIndex((tm) => before.tasks.some((t) => t.taskmanagerId !== '' && tm.child.exitCode === null));
    await cluster.killTaskManager(victim);
    await cluster.local.addTaskManager();
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state).toBe('FINISHED');
    expect(final.restarts).toBeGreaterThanOrEqual(1);
    expect(final.lastFailure).toMatch(/TaskManager|channel|producer|connection/i);
    const ids = readCommittedOutput<{ id: number }>(out).map((r) => r.id).sort((a, b) => a - b);
    expect(ids).toHaveLength(20_000);
    expect(ids).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  }, 150_000);

  it('fails a job whose function throws on one record once the restart strategy gives up, naming the cause', async () => {
    const jobId = await cluster.submit(
      POISON,
      2,
      { count: '5000', rate: '5000', poison: '3000', out: `file:${join(dir, 'out')}` },
      { settings: { checkpointIntervalMs: 200, restartStrategy: 'fixed-delay:attempts=2,delay=100' } },
    );
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state).toBe('FAILED');
    expect(final.restarts).toBe(2);
    expect(final.failure).toContain('poison record 3000');
    expect(final.failure).toContain('no more restarts');
    const status = await cluster.rest<Record<string, unknown>>(`/jobs/${jobId}`);
    expect(JSON.stringify(status)).toContain('poison record 3000');
  }, 150_000);

  it('rescales a running job from p=2 to p=3 through a savepoint, with exact results', async () => {
    const input = wordCountInput(dir, 30_000);
    const out = join(dir, 'out');
    const jobId = await cluster.submit('jobs/examples/word-count', 2, { in: `file:${input.glob}?rate=3000`, out: `file:${out}` }, { settings: { checkpointIntervalMs: 200 } });
    await waitFor(async () => ((await cluster.client.status(jobId)).checkpoints?.completed ?? 0) >= 1 || undefined, 'a checkpoint');
    const savepoint = await cluster.client.rescale(jobId, 3);
    expect(savepoint).toContain('savepoint-');
    const running = await waitFor(async () => {
      const s = await cluster.client.status(jobId);
      return s.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.attempt > 0) ? s : undefined;
    }, 'the rescaled attempt');
    expect(new Set(running.tasks.map((t) => `${t.vertexName}/${t.subtask}`)).size).toBe(running.tasks.length);
    expect(Math.max(...running.tasks.map((t) => t.subtask))).toBe(2);
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state, final.failure).toBe('FINISHED');
    expect(compareOutput(readCommittedOutput(out), input.reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  }, 150_000);

  it.each([
    { job: 'word-count', input: wordCountInput, heldPartials: false },
    // Without a late output, window-count aggregates locally: the savepoint holds the local
    // phase's buffered accumulators as operator state, dealt out again at the new parallelism.
    { job: 'window-count', input: windowCountInput, heldPartials: true },
  ])('restores a savepoint of $job taken at p=2 at p=1 and at p=4 with identical, exact results', async ({ job, input: makeInput, heldPartials }) => {
    const input = makeInput(dir, 30_000);
    const path = `jobs/examples/${job}`;
    const first = await cluster.submit(path, 2, { in: `file:${input.glob}?rate=3000`, out: `file:${join(dir, 'out-2')}` }, { settings: { checkpointIntervalMs: 200 } });
    await waitFor(async () => ((await cluster.client.status(first)).checkpoints?.completed ?? 0) >= 1 || undefined, 'a checkpoint');
    const savepoint = await cluster.client.savepoint(first, join(dir, 'savepoints'), true);
    expect((await cluster.waitForState(first, ['FINISHED', 'FAILED', 'CANCELED'])).state).toBe('FINISHED');
    // What the first run committed before it stopped (window-count's closed windows).
    const before = readCommittedOutput(join(dir, 'out-2'));
    const { metadata } = await readMetadata(savepoint);
    const partials = metadata.operators.flatMap((o) => o.subtasks).flatMap((s) => s.operatorState[LOCAL_WINDOW_PARTIALS_STATE]?.entries ?? []);
    expect(partials.length > 0).toBe(heldPartials);
    const results: Record<string, unknown>[][] = [];
    for (const p of [1, 4]) {
      await cluster.local.addTaskManager();
      const jobId = await cluster.submit(path, p, { in: `file:${input.glob}`, out: `file:${join(dir, `out-${p}`)}` }, { settings: { checkpointIntervalMs: 200 }, restorePath: savepoint });
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
      expect(final.state, final.failure).toBe('FINISHED');
      const rows = [...before, ...readCommittedOutput(join(dir, `out-${p}`))];
      expect(compareOutput(rows, input.reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
      results.push(rows.map((r) => JSON.stringify(r)).sort() as unknown as Record<string, unknown>[]);
    }
    expect(results[0]).toEqual(results[1]);
  }, 200_000);
});
