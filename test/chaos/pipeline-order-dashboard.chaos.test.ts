/**
 * order-dashboard under chaos: p=3 on 3 TaskManagers with 500 ms checkpoints, its orders replayed
 * at a bounded rate while TaskManagers are SIGKILLed (one in `npm test`; five and a JobManager kill
 * under `npm run chaos`). Every committed output equals the failure-free run and the independent
 * reference: nothing lost, nothing duplicated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonical, generateWithReference, JOB, OUTPUTS } from '../integration/pipeline-order-dashboard-reference.ts';
import { runChaos } from '../../client/chaos/chaos-run.ts';

const FULL = process.env.CHAOS_FULL === '1';
const RECORDS = FULL ? 200_000 : 20_000;
const TM_KILLS = FULL ? 5 : 1;
/** One file, so one source subtask reads it: long enough for every fault. */
const RATE = FULL ? 5_000 : 2_500;

const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-order-dashboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`chaos: order-dashboard over ${RECORDS} orders with ${TM_KILLS} TaskManager kill(s)`, () => {
  it('commits exactly the failure-free outputs', async () => {
    const expected = generateWithReference(dir, 23, RECORDS);
    const plan = {
      job: JOB,
      parallelism: 3,
      taskManagers: 3,
      args: { orders: `file:${join(dir, 'orders.jsonl')}?rate=${RATE}` },
      outputs: [...OUTPUTS],
      checkpointIntervalMs: 500,
      killJobManager: FULL,
      seed: 7,
    };
    const clean = await runChaos({ ...plan, taskManagerKills: 0, killJobManager: false });
    const chaos = await runChaos({ ...plan, taskManagerKills: TM_KILLS });
    console.log(JSON.stringify({ chaos: 'order-dashboard', records: RECORDS, taskManagerKills: chaos.taskManagerKills, jobManagerKills: chaos.jobManagerKills, restarts: chaos.final.restarts }));
    expect(clean.final.state).toBe('FINISHED');
    expect(chaos.final.state).toBe('FINISHED');
    expect(chaos.skipped).toBe(0);
    expect(chaos.taskManagerKills).toBe(TM_KILLS);
    for (const name of OUTPUTS) {
      const committed = (chaos.outputs[name] ?? []).map(canonical).sort();
      expect(committed, name).toEqual((clean.outputs[name] ?? []).map(canonical).sort());
      if (name === 'malformed') expect(committed).toHaveLength(expected.malformed.length);
      else expect(committed, name).toEqual(expected[name]);
    }
  }, 900_000);
});
