/**
 * A crash between publish and acknowledgement: a TaskManager is killed with SIGKILL while its
 * NATS sink publishes a large committed transaction. The restarted job publishes the restored
 * transactions again with the same message ids, and the server's duplicate window drops what was
 * stored before the crash: every record is in the stream exactly once. Skips with a printed
 * reason when the server is absent (fails under SLUICE_REQUIRE_SERVICES=1).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MiniCluster } from '../support/mini-cluster.ts';
import { NATS_SERVER, natsSkipReason, NatsTestClient } from '../support/nats-test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const skip = await natsSkipReason();
const RECORDS = 150_000;

describe.skipIf(skip !== undefined)('NATS sink through a crash mid-commit', () => {
  let cluster: MiniCluster;
  let nats: NatsTestClient;

  beforeEach(async () => {
    nats = await NatsTestClient.connect();
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1200'] });
  });

  afterEach(async () => {
    await cluster?.stop();
    await nats?.close();
  });

  it('publishes every record exactly once when a TaskManager dies while publishing', async () => {
    const sink = await nats.createStream('crash_out');
    const jobId = await cluster.submit('test/jobs/poison', 2, { count: String(RECORDS), out: `nats://${NATS_SERVER}/${sink}/${sink}.out` }, { settings: { checkpointIntervalMs: 5_000 } });
    const atKill = await waitFor(async () => {
      const { messages } = (await nats.manager.streams.info(sink)).state;
      return messages > 0 ? messages : undefined;
    }, 'the commit to start publishing', 120_000, 10);
    const status = await cluster.client.status(jobId);
    const sinkTask = status.tasks.find((t) => t.vertexName.includes('out') && t.taskmanagerId !== '');
    const victim = cluster.taskManagers.findIndex((tm) => tm.child.exitCode === null && (sinkTask === undefined || tm.ready.id === sinkTask.taskmanagerId));
    await cluster.killTaskManager(victim === -1 ? 0 : victim);
    await cluster.local.addTaskManager();
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state, final.failure).toBe('FINISHED');
    expect(final.restarts).toBeGreaterThanOrEqual(1);
    expect(atKill).toBeLessThan(RECORDS);
    const ids = (await nats.readJson<{ id: number }>(sink)).map((r) => r.id).sort((a, b) => a - b);
    expect(ids).toHaveLength(RECORDS);
    expect(ids).toEqual(Array.from({ length: RECORDS }, (_, i) => i));
  }, 240_000);
});
