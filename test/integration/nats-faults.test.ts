/**
 * Faults of the NATS service under a running job, through a TCP proxy the test starts in front
 * of the real server: the server goes away (connections cut, new ones refused) or the
 * connections drop, the job restarts from its last checkpoint under its restart strategy, and
 * once NATS is back it finishes with exactly the failure-free output. An unknown stream fails the
 * job with one line naming the stream and the server. Skips with a printed reason when the server
 * is absent (fails under SLUICE_REQUIRE_SERVICES=1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareOutput, wordCountInput } from '../chaos/chaos-inputs.ts';
import { MiniCluster } from '../support/mini-cluster.ts';
import { NATS_SERVER, natsSkipReason, NatsTestClient, publishJsonlFiles } from '../support/nats-test-server.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait-for.ts';

const skip = await natsSkipReason();
const JOB = 'jobs/examples/word-count';

describe.skipIf(skip !== undefined)('NATS faults under a running job', () => {
  let cluster: MiniCluster;
  let nats: NatsTestClient;
  let proxy: TcpProxy;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-nats-faults-'));
    nats = await NatsTestClient.connect();
    proxy = await TcpProxy.start(NATS_SERVER);
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });

  afterEach(async () => {
    await cluster?.stop();
    await proxy?.stop();
    await nats?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts word-count over 20 000 lines through the proxy; resolves with what to check it against. */
  async function startJob(): Promise<{ jobId: string; sink: string; reference: Map<string, number> }> {
    const input = wordCountInput(dir, 20_000);
    const source = await nats.createStream('faults_in');
    const sink = await nats.createStream('faults_out');
    await publishJsonlFiles(nats, [0, 1, 2].map((i) => input.glob.replace('part-*.jsonl', `part-${i}.jsonl`)), `${source}.w`);
    const jobId = await cluster.submit(
      JOB,
      2,
      { in: `nats://${proxy.address}/${source}/${source}.w.*?bounded=true&rate=1500`, out: `nats://${proxy.address}/${sink}/${sink}.counts` },
      { settings: { checkpointIntervalMs: 200, restartStrategy: 'exponential-delay:initial=100,max=1000,multiplier=2,reset=60000,attempts=50' } },
    );
    await waitFor(async () => ((await cluster.client.status(jobId)).checkpoints?.completed ?? 0) >= 2 || undefined, 'two checkpoints');
    return { jobId, sink, reference: input.reference };
  }

  async function expectExactOutput(jobId: string, sink: string, reference: Map<string, number>): Promise<void> {
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state, final.failure).toBe('FINISHED');
    expect(final.restarts).toBeGreaterThanOrEqual(1);
    const rows = await nats.readJson(sink);
    expect(compareOutput(rows, reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  }

  it('the server goes away mid-job: restarts fail while it is gone, and once it is back the output is exact', async () => {
    const { jobId, sink, reference } = await startJob();
    await proxy.cut();
    const refused = await waitFor(async () => {
      const s = await cluster.client.status(jobId);
      return /cannot connect to the NATS server at 127\.0\.0\.1:\d+: connection refused/.test(s.lastFailure ?? '') ? s : undefined;
    }, 'a restart refused by the absent server', 60_000);
    expect(refused.lastFailure).toContain(proxy.address);
    expect(refused.lastFailure).not.toMatch(/\n\s+at /);
    await proxy.restore();
    await expectExactOutput(jobId, sink, reference);
  }, 180_000);

  it('the connections drop mid-job: the job restarts from its last checkpoint and the output is exact', async () => {
    const { jobId, sink, reference } = await startJob();
    const accepted = proxy.accepted;
    proxy.dropConnections();
    await waitFor(async () => ((await cluster.client.status(jobId)).restarts ?? 0) >= 1 || undefined, 'a restart');
    await waitFor(() => proxy.accepted > accepted || undefined, 'the clients to connect again');
    const status = await cluster.client.status(jobId);
    expect(status.lastFailure).toMatch(/(input "in" \(nats:\/\/[\d.:]+\/faults_in_\w+\/.*\): the connection to the NATS server at [\d.:]+ closed|NATS sink \(.*\): the connection was lost)/);
    await expectExactOutput(jobId, sink, reference);
  }, 180_000);

  it('an unknown stream fails the job with one line naming the stream and the server', async () => {
    const sink = await nats.createStream('faults_unknown_out');
    const jobId = await cluster.submit(
      JOB,
      1,
      { in: `nats://${NATS_SERVER}/NO_SUCH_STREAM_42?bounded=true`, out: `nats://${NATS_SERVER}/${sink}/${sink}.counts` },
      { settings: { restartStrategy: 'none' } },
    );
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 60_000);
    expect(final.state).toBe('FAILED');
    expect(final.failure).toContain(`input "in" (nats://${NATS_SERVER}/NO_SUCH_STREAM_42): stream "NO_SUCH_STREAM_42" does not exist on the NATS server at ${NATS_SERVER}`);
    expect(final.failure).not.toMatch(/\n\s+at /);
  }, 120_000);
});
