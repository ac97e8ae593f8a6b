/** Rebalance and broadcast across processes, read back through the collect sink. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster } from '../support/mini-cluster.ts';

describe('partitioning across TaskManagers', () => {
  let cluster: MiniCluster;

  beforeAll(async () => {
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function collect(mode: string, p: number): Promise<Array<{ n: number; subtask: number }>> {
    const jobId = await cluster.submit('test/jobs/partitioning', p, { mode, out: 'collect:' });
    const records: Array<{ n: number; subtask: number }> = [];
    for await (const r of cluster.client.collect(jobId)) records.push(r as { n: number; subtask: number });
    expect((await cluster.waitForState(jobId, ['FINISHED', 'FAILED'])).state).toBe('FINISHED');
    return records;
  }

  it('rebalance spreads records round-robin over every subtask, each exactly once', async () => {
    const records = await collect('rebalance', 4);
    expect(records.map((r) => r.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const perSubtask = [0, 1, 2, 3].map((s) => records.filter((r) => r.subtask === s).length);
    expect(perSubtask).toEqual([250, 250, 250, 250]);
  });

  it('broadcast sends every record to every subtask', async () => {
    const records = await collect('broadcast', 3);
    expect(records).toHaveLength(3000);
    for (const s of [0, 1, 2]) {
      expect(records.filter((r) => r.subtask === s).map((r) => r.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    }
  });
});
