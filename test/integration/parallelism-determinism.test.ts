/**
 * The parallelism of a job does not change its result: window-count on its own sample (one file,
 * so at p=3 two source subtasks own no split) gives exactly the output of p=1, the record
 * `{"ts":3000,"key":"a"}` late in both, with and without the `late` output (which switches local
 * window aggregation off and on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const JOB = 'jobs/examples/window-count';
const SAMPLE = resolve('jobs/examples/window-count/data/sample.jsonl');

interface Result {
  out: string[];
  late: string[];
  malformed: string[];
}

describe('window-count on its sample at p=1 and p=3', () => {
  let cluster: MiniCluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-parallelism-'));
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the job to FINISHED and returns each output's lines, sorted. */
  async function run(name: string, p: number, withLate: boolean): Promise<Result> {
    const base = join(dir, `${name}-${p}`);
    const args: Record<string, string> = { in: `file:${SAMPLE}`, out: `file:${base}-out`, malformed: `file:${base}-malformed` };
    if (withLate) args.late = `file:${base}-late`;
    const jobId = await cluster.submit(JOB, p, args);
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED']);
    expect(final.failure).toBe('');
    expect(final.state).toBe('FINISHED');
    const lines = (path: string) => readCommittedOutput(path).map((r) => JSON.stringify(r)).sort();
    return { out: lines(`${base}-out`), late: withLate ? lines(`${base}-late`) : [], malformed: lines(`${base}-malformed`) };
  }

  it('counts the late record of key a alike, with a late output', async () => {
    const single = await run('late', 1, true);
    expect(single.out).toContain(JSON.stringify({ key: 'a', window_start: 0, window_end: 10_000, count: 2 }));
    expect(single.late).toEqual([JSON.stringify({ ts: 3000, key: 'a' })]);
    expect(single.malformed).toHaveLength(1);
    const parallel = await run('late', 3, true);
    expect(parallel).toEqual(single);
  });

  it('counts alike without a late output, where the count is aggregated locally first', async () => {
    const single = await run('dropped', 1, false);
    expect(single.out).toContain(JSON.stringify({ key: 'a', window_start: 0, window_end: 10_000, count: 2 }));
    const parallel = await run('dropped', 3, false);
    expect(parallel).toEqual(single);
  });
});
