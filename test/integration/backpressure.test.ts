/** A slow sink backpressures the source across processes, and memory stays bounded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('backpressure', () => {
  let cluster: MiniCluster;

  beforeAll(async () => {
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, taskManagerMetrics: true });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('slows an unbounded source down to the sink rate and keeps resident memory bounded', async () => {
    const jobId = await cluster.submit('test/jobs/datagen-keyed', 2, { slow_ms: '20' });
    const urls = cluster.taskManagers.map((tm) => cluster.local.metricsUrl(tm));
    const scrape = async (name: string): Promise<number> => {
      let total = 0;
      for (const url of urls) total += metricSum(await cluster.text(url), name);
      return total;
    };
    await waitFor(async () => (await scrape('sluice_taskmanager_job_task_back_pressured_time_ms_total')) > 2_000, 'the source to be back-pressured for 2 s', 60_000, 200);

    const sinkIn = async (): Promise<number> => {
      const s = await cluster.client.status(jobId);
      return s.recordsOut;
    };
    const firstOut = await waitFor(async () => ((await sinkIn()) > 0 ? sinkIn() : undefined), 'the sink to write', 30_000, 200);
    const firstRead = await scrape('sluice_taskmanager_job_task_num_records_in');
    await waitFor(async () => (await sinkIn()) > firstOut + 2_000, 'the sink to write 2000 more records', 60_000, 200);
    const lastRead = await scrape('sluice_taskmanager_job_task_num_records_in');
    const lastOut = await sinkIn();
    const sourceRead = await scrape('sluice_taskmanager_job_task_num_records_in');
    expect(lastRead).toBeGreaterThan(firstRead);
    expect(sourceRead - lastOut).toBeLessThan(200_000);

    const rss = [
      ...(await Promise.all(urls.map(async (u) => metricSum(await cluster.text(u), 'sluice_taskmanager_process_resident_memory_bytes')))),
      metricSum(await cluster.text('/metrics'), 'sluice_jobmanager_process_resident_memory_bytes'),
    ];
    for (const bytes of rss) {
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThan(400 * 1024 * 1024);
    }
    await cluster.client.cancel(jobId);
    await cluster.waitForState(jobId, ['CANCELED']);
  });
});
