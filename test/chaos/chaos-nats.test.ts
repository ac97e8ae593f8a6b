/**
 * The chaos case of the NATS connector: word-count reading a NATS stream (three subjects, so
 * three splits) and writing a NATS stream, at p=3 on 3 TaskManagers with 500 ms checkpoints,
 * while TaskManagers and the JobManager are killed with SIGKILL. The output stream must hold
 * exactly the failure-free counts. `npm test` runs a short version; `CHAOS_FULL=1` the full one
 * (600 k records, 5 TaskManager kills and a JobManager kill). `CHAOS_RECORDS` and
 * `CHAOS_TM_KILLS` override. Skips with a printed reason when NATS is absent (fails under
 * SLUICE_REQUIRE_SERVICES=1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_SERVER, natsSkipReason, NatsTestClient, publishJsonlFiles } from '../support/nats-test-server.ts';
import { compareOutput, wordCountInput } from './chaos-inputs.ts';
import { runChaos } from '../../client/chaos/chaos-run.ts';

const skip = await natsSkipReason();
const FULL = process.env.CHAOS_FULL === '1';
const RECORDS = Number(process.env.CHAOS_RECORDS ?? (FULL ? 600_000 : 60_000));
const TM_KILLS = Number(process.env.CHAOS_TM_KILLS ?? (FULL ? 5 : 2));
/** Replay rate per source subtask, so that the job runs long enough for every fault. */
const RATE = Math.max(1_000, Math.ceil(RECORDS / 3 / (FULL ? 40 : 8)));

describe.skipIf(skip !== undefined)(`chaos (NATS): ${RECORDS} records, ${TM_KILLS} TaskManager kills and a JobManager kill`, () => {
  let nats: NatsTestClient;
  let dir: string;
  beforeAll(async () => {
    nats = await NatsTestClient.connect();
    dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-nats-'));
  });
  afterAll(async () => {
    await nats?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('word-count from a NATS stream to a NATS stream commits exactly the failure-free counts', async () => {
    const input = wordCountInput(dir, RECORDS);
    const source = await nats.createStream('chaos_in');
    const sink = await nats.createStream('chaos_out');
    const published = await publishJsonlFiles(nats, [0, 1, 2].map((i) => input.glob.replace('part-*.jsonl', `part-${i}.jsonl`)), `${source}.w`);
    expect(published).toBe(RECORDS);
    const result = await runChaos({
      job: 'jobs/examples/word-count',
      parallelism: 3,
      taskManagers: 3,
      args: { in: `nats://${NATS_SERVER}/${source}/${source}.w.*?bounded=true&rate=${RATE}`, out: `nats://${NATS_SERVER}/${sink}/${sink}.counts` },
      outputs: [],
      checkpointIntervalMs: 500,
      taskManagerKills: TM_KILLS,
      killJobManager: true,
      seed: 43,
    });
    const out = await nats.readJson(sink);
    const diff = compareOutput(out, input.reference);
    console.log(
      JSON.stringify({
        chaos: 'word-count-nats',
        records: RECORDS,
        expectedRows: input.reference.size,
        committedRows: out.length,
        taskManagerKills: result.taskManagerKills,
        jobManagerKills: result.jobManagerKills,
        restarts: result.final.restarts,
        ...diff,
      }),
    );
    expect(result.final.state, result.final.failure).toBe('FINISHED');
    expect(result.skipped).toBe(0);
    expect(result.taskManagerKills).toBe(TM_KILLS);
    expect(result.jobManagerKills).toBe(1);
    expect(diff).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
    expect(out).toHaveLength(input.reference.size);
  }, 900_000);
});
