/**
 * product-selection through a TaskManager SIGKILL: p=2 on 2 TaskManagers, 500 ms checkpoints, the
 * generator's inputs replayed slowly enough for the kill to hit a running job. The committed
 * snapshots, deltas and malformed lines equal those of the same job run without faults, exactly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChaos, type ChaosResult } from '../../client/chaos/chaos-run.ts';

/** `npm run chaos`: 5 TaskManager kills and a JobManager kill over a longer input; `npm test`: one TaskManager kill. */
const FULL = process.env.CHAOS_FULL === '1';
const TM_KILLS = FULL ? 5 : 1;
const RECORDS = FULL ? '1500' : '500';
/** Selections per second, so that the job runs long enough for every fault. */
const RATE = FULL ? 15 : 40;

const OUTPUTS = ['snapshots', 'deltas', 'malformed'];

describe(`chaos: product-selection with ${TM_KILLS} TaskManager kill(s)${FULL ? ' and a JobManager kill' : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-product-selection-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('commits exactly the failure-free output', async () => {
    execFileSync(process.execPath, ['bin/run-ts.js', 'jobs/product-selection/generate.ts', '--seed', '21', '--records', RECORDS, dir]);
    const run = (kills: number): Promise<ChaosResult> =>
      runChaos({
        job: 'jobs/product-selection',
        parallelism: 2,
        taskManagers: 2,
        args: { selections: `file:${join(dir, 'selections.jsonl')}?rate=${RATE}`, sp: `file:${join(dir, 'catalog.jsonl')}` },
        outputs: OUTPUTS,
        checkpointIntervalMs: 500,
        taskManagerKills: kills,
        killJobManager: kills > 0 && FULL,
        seed: 7,
      });
    const clean = await run(0);
    const chaos = await run(TM_KILLS);
    for (const result of [clean, chaos]) expect(result.final.state).toBe('FINISHED');
    expect(chaos.skipped).toBe(0);
    expect(chaos.taskManagerKills).toBe(TM_KILLS);
    expect(chaos.jobManagerKills).toBe(FULL ? 1 : 0);
    expect(clean.outputs.snapshots!.length).toBeGreaterThan(300);
    const lines = (result: ChaosResult, name: string) => (result.outputs[name] ?? []).map((r) => JSON.stringify(r)).sort();
    for (const name of OUTPUTS) expect(lines(chaos, name)).toEqual(lines(clean, name));
    console.log(JSON.stringify({ chaos: 'product-selection', snapshots: clean.outputs.snapshots!.length, deltas: clean.outputs.deltas!.length, taskManagerKills: chaos.taskManagerKills, restarts: chaos.final.restarts }));
  }, FULL ? 1_200_000 : 300_000);
});
