/**
 * window-count writing Redis on real processes (`SET prefix:KEY:WINDOW_START {record}`), with
 * checkpoints: the keys after a failure-free run, after a TaskManager SIGKILL, and after Redis
 * went away mid-job (a TCP proxy in front of it, cut and restored) all equal the reference.
 */
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compareOutput, windowCountInput, type Reference } from '../chaos/chaos-inputs.ts';
import { MiniCluster } from '../support/mini-cluster.ts';
import { RedisProxy } from '../support/redis-proxy.ts';
import { REDIS_ADDRESS, deletePrefix, redisOrSkip, uniquePrefix } from '../support/redis-test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const JOB = 'jobs/examples/window-count';
const RECORDS = 20_000;

let redis: Redis | undefined;
let inputDir: string;
let input: { glob: string; reference: Reference };

beforeAll(async () => {
  redis = await redisOrSkip();
  inputDir = mkdtempSync(join(tmpdir(), 'sluice-redis-eo-in-'));
  input = windowCountInput(inputDir, RECORDS);
});

afterAll(() => {
  redis?.disconnect();
  rmSync(inputDir, { recursive: true, force: true });
});

/** Every value under `prefix`, parsed, as output rows. */
async function readRows(prefix: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis!.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    for (const value of await redis!.mget(keys)) if (value !== null) rows.push(JSON.parse(value) as Record<string, unknown>);
  } while (cursor !== '0');
  return rows;
}

describe('window-count to Redis, exactly once', () => {
  let cluster: MiniCluster | undefined;
  let prefix: string;

  beforeEach(async ({ skip }) => {
    if (redis === undefined) return skip();
    prefix = uniquePrefix('window-count');
    cluster = await MiniCluster.start({ taskManagers: 3, slotsPerTaskManager: 1, jobManagerArgs: ['--heartbeat-interval', '200', '--heartbeat-timeout', '1200'] });
  });

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    if (redis !== undefined) await deletePrefix(redis, prefix);
  });

  const out = (address: string): string => `redis://${address}/${prefix}?key={key}:{window_start}`;

  const checkpoints = (jobId: string, count: number): Promise<unknown> =>
    waitFor(async () => ((await cluster!.client.status(jobId)).checkpoints?.completed ?? 0) >= count || undefined, `${count} checkpoints`, 60_000);

  const expectReference = async (): Promise<void> => {
    const rows = await readRows(prefix);
    expect(rows.length).toBe(input.reference.size);
    expect(compareOutput(rows, input.reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  };

  it('writes the reference counts without failures', async () => {
    const jobId = await cluster!.submit(JOB, 2, { in: `file:${input.glob}`, out: out(REDIS_ADDRESS) }, { settings: { checkpointIntervalMs: 200 } });
    const final = await cluster!.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state, final.failure).toBe('FINISHED');
    await expectReference();
  }, 150_000);

  it('recovers from a TaskManager SIGKILL with the same keys and values', async () => {
    const jobId = await cluster!.submit(JOB, 2, { in: `file:${input.glob}?rate=1500`, out: out(REDIS_ADDRESS) }, { settings: { checkpointIntervalMs: 200 } });
    await checkpoints(jobId, 2);
    await cluster!.killTaskManager(0);
    await cluster!.local.addTaskManager();
    const final = await cluster!.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state, final.failure).toBe('FINISHED');
    expect(final.restarts).toBeGreaterThanOrEqual(1);
    await expectReference();
  }, 150_000);

  it('fails the task when Redis goes away mid-job and recovers from its checkpoint once it is back', async () => {
    const proxy = await RedisProxy.start(REDIS_ADDRESS);
    try {
      const jobId = await cluster!.submit(JOB, 2, { in: `file:${input.glob}?rate=1500`, out: out(proxy.address) }, { settings: { checkpointIntervalMs: 200 } });
      await checkpoints(jobId, 2);
      proxy.cut();
      const failed = await waitFor(async () => {
        const status = await cluster!.client.status(jobId);
        return status.restarts >= 1 && status.lastFailure !== '' ? status : undefined;
      }, 'a restart after Redis went away', 60_000);
      expect(failed.lastFailure).toMatch(/redis: .*Redis at redis:\/\/127\.0\.0\.1:\d+\/0, output "out"/);
      proxy.restore();
      const final = await cluster!.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
      expect(final.state, final.failure).toBe('FINISHED');
      await expectReference();
    } finally {
      await proxy.stop();
    }
  }, 150_000);
});
