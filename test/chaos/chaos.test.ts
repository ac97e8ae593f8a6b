/**
 * The chaos suite: word-count and window-count at p=3 on 3 TaskManagers with 500 ms checkpoints
 * and the transactional file sink, while TaskManagers and the JobManager are killed with SIGKILL.
 * The committed output must equal the failure-free reference exactly: not one record lost, not
 * one duplicated. `npm test` runs a short version; `npm run chaos` the full one (1 M records per
 * job, 5 TaskManager kills and a JobManager kill). `CHAOS_RECORDS` and `CHAOS_TM_KILLS` override.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareOutput, wordCountInput, windowCountInput, type Reference } from './chaos-inputs.ts';
import { runChaos } from '../../client/chaos/chaos-run.ts';

const FULL = process.env.CHAOS_FULL === '1';
const RECORDS = Number(process.env.CHAOS_RECORDS ?? (FULL ? 1_000_000 : 60_000));
const TM_KILLS = Number(process.env.CHAOS_TM_KILLS ?? (FULL ? 5 : 2));
/** Replay rate per source subtask, so that the job runs long enough for every fault. */
const RATE = Math.max(1_000, Math.ceil(RECORDS / 3 / (FULL ? 40 : 8)));

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function inputDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-in-'));
  dirs.push(dir);
  return dir;
}

async function check(name: string, job: string, input: { glob: string; reference: Reference }, outputs: string[]): Promise<void> {
  const result = await runChaos({
    job,
    parallelism: 3,
    taskManagers: 3,
    args: { in: `file:${input.glob}?rate=${RATE}` },
    outputs,
    checkpointIntervalMs: 500,
    taskManagerKills: TM_KILLS,
    killJobManager: true,
    seed: 42,
  });
  const out = result.outputs.out ?? [];
  const diff = compareOutput(out, input.reference);
  console.log(
    JSON.stringify({
      chaos: name,
      records: RECORDS,
      expectedRows: input.reference.size,
      committedRows: out.length,
      taskManagerKills: result.taskManagerKills,
      jobManagerKills: result.jobManagerKills,
      restarts: result.final.restarts,
      ...diff,
    }),
  );
  expect(result.final.state).toBe('FINISHED');
  expect(result.skipped).toBe(0);
  expect(result.taskManagerKills).toBe(TM_KILLS);
  expect(result.jobManagerKills).toBe(1);
  expect(diff).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  expect(out).toHaveLength(input.reference.size);
  for (const other of outputs.filter((o) => o !== 'out')) expect(result.outputs[other]).toEqual([]);
}

describe(`chaos: ${RECORDS} records per job, ${TM_KILLS} TaskManager kills and a JobManager kill`, () => {
  it('word-count commits exactly the failure-free counts', async () => {
    await check('word-count', 'jobs/examples/word-count', wordCountInput(inputDir(), RECORDS), ['out']);
  }, 600_000);

  it('window-count commits exactly the failure-free window counts', async () => {
    await check('window-count', 'jobs/examples/window-count', windowCountInput(inputDir(), RECORDS), ['out', 'late']);
  }, 600_000);

  it('window-count without a late output (aggregated locally before the exchange) commits exactly the failure-free window counts', async () => {
    await check('window-count-local', 'jobs/examples/window-count', windowCountInput(inputDir(), RECORDS), ['out']);
  }, 600_000);
});
