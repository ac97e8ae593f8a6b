/**
 * price-monitor under chaos: p=3 on 3 TaskManagers with 500 ms checkpoints, its listings replayed
 * at a bounded rate while TaskManagers are SIGKILLed (one in `npm test`; five and a JobManager kill
 * under `npm run chaos`). Alerts, unmatched and malformed equal the failure-free run and the
 * independent reference: nothing lost, nothing duplicated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonical, generateWithReference, JOB } from '../integration/pipeline-price-monitor-reference.ts';
import { runChaos } from '../../client/chaos/chaos-run.ts';

const FULL = process.env.CHAOS_FULL === '1';
const RECORDS = FULL ? 200_000 : 16_000;
const TM_KILLS = FULL ? 5 : 1;
/** Per source subtask; the listings are two files. */
const RATE = FULL ? 2_500 : 1_000;
const OUTPUTS = ['alerts', 'unmatched', 'malformed'];

const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-price-monitor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`chaos: price-monitor over ${RECORDS} listings with ${TM_KILLS} TaskManager kill(s)`, () => {
  it('commits exactly the failure-free outputs', async () => {
    const expected = generateWithReference(dir, 29, RECORDS);
    const plan = {
      job: JOB,
      parallelism: 3,
      taskManagers: 3,
      args: { listings: `file:${join(dir, 'listings')}?rate=${RATE}`, reference: `file:${join(dir, 'reference.csv')}` },
      outputs: OUTPUTS,
      checkpointIntervalMs: 500,
      killJobManager: FULL,
      seed: 11,
    };
    const clean = await runChaos({ ...plan, taskManagerKills: 0, killJobManager: false });
    const chaos = await runChaos({ ...plan, taskManagerKills: TM_KILLS });
    console.log(JSON.stringify({ chaos: 'price-monitor', records: RECORDS, taskManagerKills: chaos.taskManagerKills, jobManagerKills: chaos.jobManagerKills, restarts: chaos.final.restarts }));
    expect(clean.final.state).toBe('FINISHED');
    expect(chaos.final.state).toBe('FINISHED');
    expect(chaos.skipped).toBe(0);
    expect(chaos.taskManagerKills).toBe(TM_KILLS);
    for (const name of OUTPUTS) {
      expect((chaos.outputs[name] ?? []).map(canonical).sort(), name).toEqual((clean.outputs[name] ?? []).map(canonical).sort());
    }
    expect((chaos.outputs.alerts ?? []).map(canonical).sort()).toEqual(expected.alerts);
    expect((chaos.outputs.unmatched ?? []).map(canonical).sort()).toEqual(expected.unmatched);
    expect(chaos.outputs.malformed).toHaveLength(expected.malformed);
  }, 900_000);
});
