/**
 * The JobManager's limits against fake TaskManagers: a registration with more slots than
 * `maxSlotsPerTaskManager` is refused before any slot exists; a 20,000-vertex chain validates
 * without exhausting the stack, and a submit above `maxVerticesPerJob` or `maxParallelism` is
 * refused naming the limit (as are empty operator ids and unknown partitioners); `maxRunningJobs` refuses a submit with RESOURCE_EXHAUSTED; ended jobs
 * release their bundle and beyond `maxRetainedJobs` are forgotten oldest first; cancelling an
 * ended job is FAILED_PRECONDITION; two runs of one graph get different execution ids.
 */
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../common/errors.ts';
import { validateJobGraph } from '../../../common/graph/job-graph-validation.ts';
import type { JobGraph, JobVertex } from '../../../common/rpc/index.ts';
import { resolveJobManagerConfig } from '../../../jobmanager/config.ts';
import { FakeCluster, waitFor, type FakeClusterOptions } from '../../support/fakes/fake-taskmanager-gateway.ts';

let cluster: FakeCluster | undefined;

function newCluster(options: FakeClusterOptions = {}): FakeCluster {
  cluster = new FakeCluster({ confirmCancels: true, ...options });
  return cluster;
}

afterEach(() => {
  cluster?.close();
  cluster = undefined;
});

function vertex(id: string, inputs: string[], parallelism = 1, maxParallelism = 128): JobVertex {
  return {
    id,
    name: id,
    parallelism,
    maxParallelism,
    isSource: inputs.length === 0,
    operators: [{ id: `op-${id}`, uid: '', name: id, kind: inputs.length === 0 ? 'source' : 'map' }],
    inputs: inputs.map((from) => ({ id: `${from}->${id}`, sourceVertexId: from, partitioner: 'REBALANCE', keyOperatorId: '', inputIndex: 0 })),
  };
}

/** A chain src -> v1 -> ... -> v(n-1), listed sink first so that a sort has to walk it all. */
function chain(n: number): JobGraph {
  const vertices = [vertex('v0', [])];
  for (let i = 1; i < n; i++) vertices.push(vertex(`v${i}`, [`v${i - 1}`]));
  return { name: 'chain', defaultParallelism: 1, args: {}, vertices: vertices.reverse() };
}

function twoVertexGraph(parallelism = 1, maxParallelism = 128): JobGraph {
  return { name: 'two', defaultParallelism: parallelism, args: {}, vertices: [vertex('src', [], parallelism, maxParallelism), vertex('sink', ['src'], parallelism, maxParallelism)] };
}

function thrown(fn: () => unknown): SluiceError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SluiceError);
    return error as SluiceError;
  }
  throw new Error('expected an error');
}

/** Submits the two-vertex graph and waits until both executions are deployed. */
async function deployed(c: FakeCluster, graph: JobGraph = twoVertexGraph()): Promise<string> {
  const jobId = c.submit(graph);
  await waitFor(() => c.deployments.filter((d) => d.deployment.jobId === jobId).length === 2, 'two deployments');
  return jobId;
}

/** Runs a submitted job to FINISHED. */
function finish(c: FakeCluster, jobId: string): void {
  c.reportAll(jobId, 'RUNNING');
  c.reportAll(jobId, 'FINISHED');
  expect(c.job(jobId).state).toBe('FINISHED');
}

describe('TaskManager registration', () => {
  it('refuses 4294967295 slots with INVALID_ARGUMENT naming the limit, before any slot exists', () => {
    const c = newCluster();
    const error = thrown(() => c.registerTaskManager('tm-huge', 4294967295));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.message).toBe(
      "RegisterTaskManager: slots of TaskManager tm-huge must be an integer from 1 to 256 (the JobManager's maxSlotsPerTaskManager), got 4294967295",
    );
    expect(c.slotPool.total).toBe(0);
    expect(c.registry.all).toEqual([]);
  });

  it('takes a configured limit, and refuses zero slots and an empty id', () => {
    const c = newCluster({ maxSlotsPerTaskManager: 8 });
    expect(thrown(() => c.registerTaskManager('tm-9', 9)).message).toContain('from 1 to 8');
    expect(thrown(() => c.registerTaskManager('tm-0', 0)).message).toContain('got 0');
    expect(thrown(() => c.registry.register({ id: '', address: 'x:1', slots: 1, metricsAddress: '' })).message).toBe('RegisterTaskManager: taskmanagerId is empty');
    c.registerTaskManager('tm-8', 8);
    expect(c.slotPool.total).toBe(8);
  });
});

describe('job graph limits', () => {
  it('sorts a 20,000-vertex chain without exhausting the stack', () => {
    const order = validateJobGraph(chain(20_000));
    expect(order).toHaveLength(20_000);
    expect(order[0]!.id).toBe('v0');
    expect(order[19_999]!.id).toBe('v19999');
  });

  it('still names a cycle', () => {
    const graph: JobGraph = { name: 'loop', defaultParallelism: 1, args: {}, vertices: [vertex('src', []), vertex('a', ['src', 'b']), vertex('b', ['a'])] };
    expect(thrown(() => validateJobGraph(graph)).message).toBe('invalid job graph: cycle through a -> b -> a');
  });

  it('names an operator with an empty id and an edge with an unknown partitioner', () => {
    const graph = twoVertexGraph();
    graph.vertices[0]!.operators[0]!.id = '';
    (graph.vertices[1]!.inputs[0] as { partitioner: unknown }).partitioner = 9;
    const message = thrown(() => validateJobGraph(graph)).message;
    expect(message).toContain('vertex "src" has an operator with an empty id');
    expect(message).toContain('edge "src->sink" into "sink" has an unknown partitioner 9');
  });

  it('refuses a 20,000-vertex job with INVALID_ARGUMENT naming maxVerticesPerJob', () => {
    const c = newCluster();
    const error = thrown(() => c.submit(chain(20_000)));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.message).toBe("invalid job graph: it has 20000 vertices, more than the JobManager's limit of 1000 (maxVerticesPerJob)");
    expect(c.dispatcher.allJobs).toEqual([]);
  });

  it('refuses a max parallelism or parallelism above maxParallelism', () => {
    const c = newCluster({ maxParallelism: 64 });
    const tooHighMax = thrown(() => c.submit(twoVertexGraph(1, 128)));
    expect(tooHighMax.code).toBe(status.INVALID_ARGUMENT);
    expect(tooHighMax.message).toBe('invalid job graph: vertex "src" has max parallelism 128, above the JobManager\'s limit of 64 (maxParallelism)');
    const tooHigh = thrown(() => c.submit(twoVertexGraph(100, 64)));
    expect(tooHigh.message).toContain('has parallelism 100, above the JobManager\'s limit of 64 (maxParallelism)');
  });

  it('refuses limits out of range in the configuration', () => {
    expect(() => resolveJobManagerConfig({ maxParallelism: 40_000 })).toThrow('maxParallelism must be at most 32768');
    expect(() => resolveJobManagerConfig({ maxRunningJobs: 0 })).toThrow('maxRunningJobs must be a positive integer');
    expect(() => resolveJobManagerConfig({ maxBundleBytes: 1024, maxRequestBytes: 1024 })).toThrow('maxRequestBytes (1024) must exceed maxBundleBytes (1024)');
    expect(() => resolveJobManagerConfig({})).toThrow('a JobManager needs credentials');
    expect(resolveJobManagerConfig({ security: { mode: 'insecure' } })).toMatchObject({ maxSlotsPerTaskManager: 256, maxVerticesPerJob: 1000, maxParallelism: 32768, maxRunningJobs: 100, maxRetainedJobs: 100 });
  });
});

describe('job limits', () => {
  it('refuses a submit beyond maxRunningJobs with RESOURCE_EXHAUSTED, and takes one again once a job ended', async () => {
    const c = newCluster({ maxRunningJobs: 1 });
    c.registerTaskManager('tm-1', 2);
    const first = await deployed(c);
    const error = thrown(() => c.submit(twoVertexGraph()));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.message).toBe("SubmitJob: 1 jobs are running, the JobManager's limit is 1 (maxRunningJobs); wait for one to end or cancel one");
    finish(c, first);
    await deployed(c);
  });

  it('releases the bundle of an ended job; GetBundle then answers FAILED_PRECONDITION', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    const jobId = await deployed(c);
    expect(c.dispatcher.bundleOf(jobId)).toHaveLength(16);
    c.reportAll(jobId, 'FAILED');
    await waitFor(() => c.job(jobId).state === 'FAILED', 'job FAILED');
    expect(c.job(jobId).bundle).toBeUndefined();
    const error = thrown(() => c.dispatcher.bundleOf(jobId));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.message).toBe(`job ${jobId} is FAILED: its bundle was released when it ended`);
  });

  it('forgets ended jobs beyond maxRetainedJobs, oldest first', async () => {
    const c = newCluster({ maxRetainedJobs: 2 });
    c.registerTaskManager('tm-1', 2);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const jobId = await deployed(c);
      c.dispatcher.pushCollected(jobId, Buffer.from([1]), 1);
      finish(c, jobId);
      ids.push(jobId);
    }
    expect(c.dispatcher.allJobs.map((j) => j.jobId)).toEqual([ids[2], ids[1]]);
    const error = thrown(() => c.dispatcher.status(ids[0]!));
    expect(error.code).toBe(status.NOT_FOUND);
    expect(c.dispatcher.status(ids[1]!).state).toBe('FINISHED');
  });

  it('answers FAILED_PRECONDITION to cancelling a cancelled or finished job', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    const cancelled = await deployed(c);
    c.dispatcher.cancel(cancelled);
    await waitFor(() => c.job(cancelled).state === 'CANCELED', 'job CANCELED');
    const again = thrown(() => c.dispatcher.cancel(cancelled));
    expect(again.code).toBe(status.FAILED_PRECONDITION);
    expect(again.message).toBe(`job ${cancelled} is already CANCELED`);
    const finished = await deployed(c);
    finish(c, finished);
    expect(thrown(() => c.dispatcher.cancel(finished)).message).toBe(`job ${finished} is already FINISHED`);
  });
});

describe('execution ids', () => {
  it('differ between two runs of the same graph, so reports and counters reach only their own job', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 4);
    const a = await deployed(c);
    const b = await deployed(c);
    const idsOf = (jobId: string) => c.job(jobId).executionGraph.executions.map((e) => e.id);
    expect(idsOf(a)).toEqual([`${a}_src_0_0`, `${a}_sink_0_0`]);
    expect(idsOf(b)).toEqual([`${b}_src_0_0`, `${b}_sink_0_0`]);
    const deployedIds = c.gatewayOf('tm-1').deployments.map((d) => d.executionId);
    expect(new Set(deployedIds).size).toBe(4);
    c.dispatcher.onTaskMetrics([{ executionId: idsOf(b)[0]!, recordsIn: 7, recordsOut: 7 }]);
    expect(c.job(a).executionGraph.executions[0]!.recordsIn).toBe(0);
    expect(c.job(b).executionGraph.executions[0]!.recordsIn).toBe(7);
  });
});
