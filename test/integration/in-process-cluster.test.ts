/**
 * Whole jobs on the in-process MiniCluster (test/support/in-process-cluster.ts): a JobManager
 * and two TaskManagers in this process over real gRPC on loopback. word-count with checkpoints
 * finishes with exact counts at p=2; a job whose function throws restarts from its checkpoints
 * and fails once its restart strategy gives up, naming the record.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessCluster } from '../support/in-process-cluster.ts';
import { readCommittedOutput } from '../../client/chaos/committed-output.ts';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

describe('the in-process cluster', () => {
  let cluster: InProcessCluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-in-process-test-'));
    cluster = await InProcessCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs word-count with checkpoints at p=2 to exact counts', async () => {
    const input = join(dir, 'in');
    mkdirSync(input);
    const expected = new Map<string, number>();
    for (let file = 0; file < 2; file++) {
      const lines: string[] = [];
      for (let i = 0; i < 500; i++) {
        const text = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + file) % WORDS.length]}`;
        for (const w of text.split(' ')) expected.set(w, (expected.get(w) ?? 0) + 1);
        lines.push(JSON.stringify({ text }));
      }
      writeFileSync(join(input, `part-${file}.jsonl`), `${lines.join('\n')}\n`);
    }
    const out = join(dir, 'out');
    const jobId = await cluster.submit('jobs/examples/word-count', 2, { in: `file:${input}`, out: `file:${out}` }, { settings: { checkpointIntervalMs: 100 } });
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED']);
    expect(final.failure).toBe('');
    expect(final.state).toBe('FINISHED');
    const counts = readCommittedOutput<{ word: string; count: number }>(out);
    expect(new Map(counts.map((c) => [c.word, c.count]))).toEqual(expected);
    expect(counts).toHaveLength(expected.size);
  });

  it('fails a job whose function throws once its restart strategy gives up, naming the record', async () => {
    const jobId = await cluster.submit(
      'test/jobs/poison',
      2,
      { count: '2000', rate: '20000', poison: '1500', out: `file:${join(dir, 'poison-out')}` },
      { settings: { checkpointIntervalMs: 100, restartStrategy: 'fixed-delay:attempts=1,delay=50' } },
    );
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED']);
    expect(final.state).toBe('FAILED');
    expect(final.restarts).toBe(1);
    expect(final.failure).toContain('poison record 1500');
  });
});
