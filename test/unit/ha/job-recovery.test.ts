/**
 * JobManager HA recovery (jobmanager/ha/job-recovery.ts) over a real JobStore in a temporary
 * directory and FakeClusters (no sockets): a submitted job's graph is stored as the proto-encoded
 * JobGraph and a restarted JobManager resumes the job with that graph under its old id; a record
 * whose graph is JSON (an earlier Sluice) or corrupt is refused with an error naming the job, and
 * that job is marked FAILED instead of resumed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobGraph } from '../../../common/rpc/index.ts';
import { jobGraphCodec } from '../../../common/rpc/message-codec.ts';
import { resumeStoredJobs, storeListener, storedGraph } from '../../../jobmanager/ha/job-recovery.ts';
import { JobStore } from '../../../jobmanager/ha/job-store.ts';
import { FakeCluster, waitFor as waitUntil } from '../../support/fakes/fake-taskmanager-gateway.ts';
import { waitFor } from '../../support/wait-for.ts';

const dirs: string[] = [];
const stores: JobStore[] = [];
const clusters: FakeCluster[] = [];

afterEach(async () => {
  for (const cluster of clusters.splice(0)) cluster.close();
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-recovery-'));
  dirs.push(dir);
  return dir;
}

async function openStore(): Promise<JobStore> {
  const store = await JobStore.open(tempDir());
  stores.push(store);
  return store;
}

function newCluster(checkpointDir: string): FakeCluster {
  const cluster = new FakeCluster({ checkpointDir, confirmCancels: true });
  clusters.push(cluster);
  cluster.registerTaskManager('tm-1', 2);
  return cluster;
}

/** src (2) -HASH-> sink (2), with arguments and a key operator, so every field of the graph is set. */
function graph(): JobGraph {
  return {
    name: 'stored',
    defaultParallelism: 2,
    args: { in: 'file:in.jsonl', out: 'file:out' },
    vertices: [
      { id: 'src', name: 'src', parallelism: 2, maxParallelism: 128, isSource: true, inputs: [], operators: [{ id: 'op-src', uid: 'source', name: 'src', kind: 'source' }] },
      {
        id: 'sink',
        name: 'sink',
        parallelism: 2,
        maxParallelism: 128,
        isSource: false,
        inputs: [{ id: 'src->sink#0', sourceVertexId: 'src', partitioner: 'HASH', keyOperatorId: 'op-src', inputIndex: 0 }],
        operators: [{ id: 'op-sink', uid: '', name: 'sink', kind: 'sink' }],
      },
    ],
  };
}

describe('JobManager HA recovery', () => {
  it('stores the proto-encoded JobGraph and resumes the job with it after a restart', async () => {
    const checkpointDir = tempDir();
    const store = await openStore();
    const first = newCluster(checkpointDir);
    first.dispatcher.listener = storeListener(store, first.log);
    const jobId = first.submit(graph(), 16, { checkpoint: { intervalMs: 60_000 } });
    const stored = await waitFor(() => store.getJob(jobId), 'the job stored', 5_000, 5);
    expect(stored.graph[0]).not.toBe('{'.charCodeAt(0));
    expect(jobGraphCodec.decode(stored.graph)).toEqual(graph());

    const second = newCluster(checkpointDir);
    expect(await resumeStoredJobs(store, second.dispatcher, checkpointDir, second.log)).toEqual([jobId]);
    expect(second.job(jobId).jobGraph).toEqual(graph());
    await waitUntil(() => second.deployments.length === 4, 'the resumed job deployed');
  });

  it.each([
    ['JSON, the format of an earlier Sluice', new TextEncoder().encode(JSON.stringify(graph())), /the HA store holds the graph of job old-json as JSON, the format of an earlier Sluice; submit the job again/],
    ['corrupt', Uint8Array.of(0x12, 0xff, 0xff, 0x01), /the HA store holds a corrupt graph for job old-json: /],
  ])('refuses a stored graph that is %s, failing that job instead of resuming it', async (_what, bytes, error) => {
    const checkpointDir = tempDir();
    const store = await openStore();
    await store.putJob({ jobId: 'old-json', graph: bytes, bundle: Uint8Array.of(1, 2, 3), submittedAt: 1, config: {} });
    const cluster = newCluster(checkpointDir);
    expect(await resumeStoredJobs(store, cluster.dispatcher, checkpointDir, cluster.log)).toEqual([]);
    expect(await store.getJobState('old-json')).toBe('FAILED');
    expect(cluster.dispatcher.allJobs).toEqual([]);
    const logged = cluster.logs.find((r) => r.msg === 'could not resume a job after a JobManager restart');
    expect(logged).toMatchObject({ job: 'old-json', err: expect.stringMatching(error) });
    expect(() => storedGraph('old-json', bytes)).toThrow(error);
  });
});
