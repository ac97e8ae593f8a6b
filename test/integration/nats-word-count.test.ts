/**
 * word-count reading a NATS stream and writing a NATS stream on real processes: the output is
 * exactly the failure-free reference, also when a TaskManager is killed with SIGKILL mid-job or
 * the job is rescaled through a savepoint, and malformed messages reach the malformed output. Skips with a printed reason when the server is
 * absent (fails under SLUICE_REQUIRE_SERVICES=1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareOutput, wordCountInput } from '../chaos/chaos-inputs.ts';
import { MiniCluster } from '../support/mini-cluster.ts';
import { NATS_SERVER, natsSkipReason, NatsTestClient, publishJsonlFiles } from '../support/nats-test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const skip = await natsSkipReason();
const JOB = 'jobs/examples/word-count';

/** The three part files `wordCountInput` writes. */
function partFiles(glob: string): string[] {
  return [0, 1, 2].map((i) => glob.replace('part-*.jsonl', `part-${i}.jsonl`));
}

describe.skipIf(skip !== undefined)('word-count from NATS to NATS', () => {
  let cluster: MiniCluster;
  let nats: NatsTestClient;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-nats-wc-'));
    nats = await NatsTestClient.connect();
    cluster = await MiniCluster.start({ taskManagers: 3, slotsPerTaskManager: 1, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1200'] });
  });

  afterEach(async () => {
    await cluster?.stop();
    await nats?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits exactly the failure-free counts when a TaskManager is killed mid-job', async () => {
    const input = wordCountInput(dir, 30_000);
    const source = await nats.createStream('wc_in');
    const sink = await nats.createStream('wc_out');
    await publishJsonlFiles(nats, partFiles(input.glob), `${source}.words`);
    const jobId = await cluster.submit(
      JOB,
      3,
      { in: `nats://${NATS_SERVER}/${source}/${source}.words.*?bounded=true&rate=2000`, out: `nats://${NATS_SERVER}/${sink}/${sink}.counts` },
      { settings: { checkpointIntervalMs: 200 } },
    );
    await waitFor(async () => ((await cluster.client.status(jobId)).checkpoints?.completed ?? 0) >= 2 || undefined, 'two checkpoints');
    const live = cluster.taskManagers.findIndex((tm) => tm.child.exitCode === null);
    await cluster.killTaskManager(live);
    await cluster.local.addTaskManager();
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state, final.failure).toBe('FINISHED');
    expect(final.restarts).toBeGreaterThanOrEqual(1);
    const rows = await nats.readJson(sink);
    expect(compareOutput(rows, input.reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
    expect(rows).toHaveLength(input.reference.size);
  }, 180_000);

  it('rescales from p=2 to p=3 through a savepoint, dealing the subject splits out again, with exact counts', async () => {
    const input = wordCountInput(dir, 30_000);
    const source = await nats.createStream('wc_rescale_in');
    const sink = await nats.createStream('wc_rescale_out');
    await publishJsonlFiles(nats, partFiles(input.glob), `${source}.words`);
    const jobId = await cluster.submit(
      JOB,
      2,
      { in: `nats://${NATS_SERVER}/${source}/${source}.words.*?bounded=true&rate=2000`, out: `nats://${NATS_SERVER}/${sink}/${sink}.counts` },
      { settings: { checkpointIntervalMs: 200 } },
    );
    await waitFor(async () => ((await cluster.client.status(jobId)).checkpoints?.completed ?? 0) >= 1 || undefined, 'a checkpoint');
    expect(await cluster.client.rescale(jobId, 3)).toContain('savepoint-');
    const running = await waitFor(async () => {
      const s = await cluster.client.status(jobId);
      return s.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.attempt > 0) ? s : undefined;
    }, 'the rescaled attempt');
    expect(Math.max(...running.tasks.map((t) => t.subtask))).toBe(2);
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state, final.failure).toBe('FINISHED');
    const rows = await nats.readJson(sink);
    expect(compareOutput(rows, input.reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  }, 180_000);

  it('sends messages that do not decode or validate to the malformed output and counts the rest', async () => {
    const source = await nats.createStream('wc_bad');
    const sink = await nats.createStream('wc_bad_out');
    await nats.publish(`${source}.a`, ['{"text":"b a"}', 'oops', '{"text":7}', '{"text":"a"}'], true);
    const jobId = await cluster.submit(JOB, 1, {
      in: `nats://${NATS_SERVER}/${source}?bounded=true`,
      out: `nats://${NATS_SERVER}/${sink}/${sink}.counts`,
      malformed: `nats://${NATS_SERVER}/${sink}/${sink}.malformed`,
    });
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 60_000);
    expect(final.state, final.failure).toBe('FINISHED');
    const messages = await nats.readAll(sink);
    const counts = messages.filter((m) => m.subject.endsWith('.counts')).map((m) => JSON.parse(m.text) as { word: string; count: number });
    expect(counts.sort((x, y) => (x.word < y.word ? -1 : 1))).toEqual([{ word: 'a', count: 2 }, { word: 'b', count: 1 }]);
    const malformed = messages.filter((m) => m.subject.endsWith('.malformed')).map((m) => JSON.parse(m.text) as { input: string; raw: string; error: string });
    expect(malformed.map((m) => [m.input, m.raw])).toEqual([
      ['in', 'oops'],
      ['in', '{"text":7}'],
    ]);
    expect(malformed[0]!.error).toMatch(/^invalid JSON: .*\(stream .*, sequence 2, /);
    expect(malformed[1]!.error).toBe('text must be a string, got 7');
  }, 120_000);
});
