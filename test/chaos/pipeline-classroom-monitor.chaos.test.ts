/**
 * classroom-monitor through a TaskManager SIGKILL: p=2 on 2 TaskManagers, 500 ms checkpoints, the
 * generator's four streams replayed slowly enough for the kill to hit a running job. Every output
 * equals that of the same job run without faults, exactly; `latency` holds wall-clock times, so
 * only its lines per window are compared.
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
const RECORDS = FULL ? '12000' : '3000';
/** Records per second and stream, so that the job runs long enough for every fault. */
const RATE = FULL ? 40 : 80;

const KINDS = ['enter', 'av', 'courseware', 'signal'];
const EXACT = ['labels', 'out_of_sync', 'filtered', 'unnatural', 'late'];

describe(`chaos: classroom-monitor with ${TM_KILLS} TaskManager kill(s)${FULL ? ' and a JobManager kill' : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-classroom-monitor-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('commits exactly the failure-free output', async () => {
    execFileSync(process.execPath, ['bin/run-ts.js', 'jobs/classroom-monitor/generate.ts', '--seed', '23', '--records', RECORDS, dir]);
    const run = (kills: number): Promise<ChaosResult> =>
      runChaos({
        job: 'jobs/classroom-monitor',
        parallelism: 2,
        taskManagers: 2,
        args: { ...Object.fromEntries(KINDS.map((k) => [k, `file:${join(dir, `${k}.jsonl`)}?rate=${RATE}`])), dim: `file:${join(dir, 'classrooms.jsonl')}` },
        outputs: [...EXACT, 'latency'],
        checkpointIntervalMs: 500,
        taskManagerKills: kills,
        killJobManager: kills > 0 && FULL,
        seed: 9,
      });
    const clean = await run(0);
    const chaos = await run(TM_KILLS);
    for (const result of [clean, chaos]) expect(result.final.state).toBe('FINISHED');
    expect(chaos.skipped).toBe(0);
    expect(chaos.taskManagerKills).toBe(TM_KILLS);
    expect(chaos.jobManagerKills).toBe(FULL ? 1 : 0);
    expect(clean.outputs.labels!.length).toBeGreaterThan(50);
    const lines = (result: ChaosResult, name: string) => (result.outputs[name] ?? []).map((r) => JSON.stringify(r)).sort();
    for (const name of EXACT) expect(lines(chaos, name)).toEqual(lines(clean, name));
    const windows = (result: ChaosResult) => (result.outputs.latency ?? []).map((r) => JSON.stringify([r.classroom_id, r.user_id, r.window_end])).sort();
    expect(windows(chaos)).toEqual(windows(clean));
    console.log(JSON.stringify({ chaos: 'classroom-monitor', labels: clean.outputs.labels!.length, outOfSync: clean.outputs.out_of_sync!.length, taskManagerKills: chaos.taskManagerKills, restarts: chaos.final.restarts }));
  }, FULL ? 1_200_000 : 300_000);
});
