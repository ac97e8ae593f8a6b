/**
 * inventory-alert under chaos: p=3 on 3 TaskManagers with 500 ms checkpoints, its stock and page
 * views replayed at a bounded rate while TaskManagers are SIGKILLed (one in `npm test`; five and a
 * JobManager kill under `npm run chaos`). Alerts, late and malformed equal the failure-free run and
 * the independent reference: nothing lost, nothing duplicated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonical, generateWithReference, JOB, jobArgs } from '../integration/pipeline-inventory-alert-reference.ts';
import { runChaos } from '../../client/chaos/chaos-run.ts';

const FULL = process.env.CHAOS_FULL === '1';
const RECORDS = FULL ? 200_000 : 12_000;
const TM_KILLS = FULL ? 5 : 1;
/** Per source subtask; stock and page views are one file each. */
const RATE = FULL ? 2_500 : 1_500;
const OUTPUTS = ['alerts', 'late', 'malformed'];

const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-inventory-alert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`chaos: inventory-alert over ${RECORDS} stock records with ${TM_KILLS} TaskManager kill(s)`, () => {
  it('commits exactly the failure-free outputs', async () => {
    const expected = generateWithReference(dir, 31, RECORDS);
    const inputs = Object.fromEntries(Object.entries(jobArgs(dir, join(dir, 'unused'))).filter(([name]) => !OUTPUTS.includes(name)));
    const args = { ...inputs, stock: `${inputs.stock}?rate=${RATE}`, pv: `${inputs.pv}?rate=${RATE}` };
    const plan = { job: JOB, parallelism: 3, taskManagers: 3, args, outputs: OUTPUTS, checkpointIntervalMs: 500, killJobManager: FULL, seed: 13 };
    const clean = await runChaos({ ...plan, taskManagerKills: 0, killJobManager: false });
    const chaos = await runChaos({ ...plan, taskManagerKills: TM_KILLS });
    console.log(JSON.stringify({ chaos: 'inventory-alert', records: RECORDS, taskManagerKills: chaos.taskManagerKills, jobManagerKills: chaos.jobManagerKills, restarts: chaos.final.restarts }));
    expect(clean.final.state).toBe('FINISHED');
    expect(chaos.final.state).toBe('FINISHED');
    expect(chaos.skipped).toBe(0);
    expect(chaos.taskManagerKills).toBe(TM_KILLS);
    for (const name of OUTPUTS) {
      expect((chaos.outputs[name] ?? []).map(canonical).sort(), name).toEqual((clean.outputs[name] ?? []).map(canonical).sort());
    }
    expect((chaos.outputs.alerts ?? []).map(canonical).sort()).toEqual(expected.alerts);
    expect((chaos.outputs.late ?? []).map(canonical).sort()).toEqual(expected.late);
    expect(chaos.outputs.malformed).toHaveLength(expected.malformed);
  }, 900_000);
});
