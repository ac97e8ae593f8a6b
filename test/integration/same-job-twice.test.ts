/**
 * Two runs of the same job at once on one TaskManager: their vertices have the same ids, so only
 * the job id in the execution ids keeps their tasks, checkpoints and counters apart. Both runs of
 * word-count, with checkpoints, FINISH with the reference counts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const JOB = 'jobs/examples/word-count';
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const LINES = 3000;

describe('the same job twice at once on one TaskManager', () => {
  let cluster: MiniCluster;
  let dir: string;
  let input: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-same-job-'));
    input = join(dir, 'in.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < LINES; i++) lines.push(JSON.stringify({ text: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}` }));
    writeFileSync(input, `${lines.join('\n')}\n`);
    cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes both runs with correct counts', async () => {
    const expected = new Map<string, number>();
    for (let i = 0; i < LINES; i++) {
      for (const w of [WORDS[i % WORDS.length]!, WORDS[(i * 7) % WORDS.length]!]) expected.set(w, (expected.get(w) ?? 0) + 1);
    }
    const runs = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const out = join(dir, `out-${name}`);
        const jobId = await cluster.submit(JOB, 1, { in: `file:${input}?rate=1500`, out: `file:${out}` }, { settings: { checkpointIntervalMs: 200 } });
        return { jobId, out };
      }),
    );
    const running = await cluster.waitForAllTasksRunning(runs[0]!.jobId);
    expect(running.tasks.length).toBeGreaterThan(0);
    for (const { jobId, out } of runs) {
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED']);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');
      const counts = readCommittedOutput<{ word: string; count: number }>(out);
      expect(new Map(counts.map((c) => [c.word, c.count]))).toEqual(expected);
    }
  });
});
