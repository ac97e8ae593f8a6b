/**
 * The example connector of the README's "Writing a connector" on real processes: the sequence
 * source into the staged-directory sink, with checkpoints, through a TaskManager SIGKILL; the
 * committed files hold every number exactly once (the kill lands when the job is still running
 * once a checkpoint completed; otherwise the run is failure-free). Keeps the guide's code true.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MiniCluster } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

const COUNT = 200_000;
let cluster: MiniCluster;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-example-connector-'));
  cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 1, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1200'] });
});

afterEach(async () => {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The numbers in the committed files (pending files of unfinished checkpoints are not output). */
function committedNumbers(out: string): number[] {
  const numbers: number[] = [];
  for (const file of readdirSync(out).filter((name) => name.startsWith('part-'))) {
    for (const line of readFileSync(join(out, file), 'utf8').split('\n')) if (line !== '') numbers.push((JSON.parse(line) as { n: number }).n);
  }
  return numbers.sort((a, b) => a - b);
}

it('writes every number of the sequence exactly once, through a killed TaskManager', async () => {
  const out = join(dir, 'out');
  const jobId = await cluster.submit('test/jobs/example-connector', 2, { count: String(COUNT), splits: '4', rate: '50000', dir: out }, { settings: { checkpointIntervalMs: 100, restartStrategy: 'fixed-delay:attempts=10,delay=100' } });
  const status = await waitFor(async () => {
    const s = await cluster.client.status(jobId);
    return s.state !== 'RUNNING' || (s.checkpoints?.completed ?? 0) >= 1 ? s : undefined;
  }, 'a completed checkpoint or the end of the job', 60_000);
  if (status.state === 'RUNNING') {
    await cluster.killTaskManager(0);
    await cluster.local.addTaskManager();
  }
  const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
  expect(final.state, final.failure).toBe('FINISHED');
  console.log(JSON.stringify({ example: 'sequence-to-staged-directory', killed: status.state === 'RUNNING', restarts: final.restarts }));
  const numbers = committedNumbers(out);
  expect(numbers).toHaveLength(COUNT);
  expect(numbers.every((n, i) => n === i)).toBe(true);
}, 180_000);
