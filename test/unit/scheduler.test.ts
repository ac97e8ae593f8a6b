/**
 * Scheduling on the JobManager against fake TaskManagers: slot sharing and placement, deployment
 * descriptors, the job lifecycle (finish, task failure, cancel, lost TaskManager, slot timeout)
 * and the Dispatcher's checks of what clients submit.
 */
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { buildJobPlan } from '../../common/graph/job-plan.ts';
import { CollectSink, fromCollection, StreamExecutionEnvironment } from '../../client/index.ts';
import { SluiceError } from '../../common/errors.ts';
import type { JobEdge, JobGraph, JobVertex, PartitionerKind } from '../../common/rpc/index.ts';
import { FakeCluster, waitFor, type FakeClusterOptions } from '../support/fakes/fake-taskmanager-gateway.ts';

let cluster: FakeCluster | undefined;

function newCluster(options: FakeClusterOptions = {}): FakeCluster {
  cluster = new FakeCluster(options);
  return cluster;
}

afterEach(() => {
  cluster?.close();
  cluster = undefined;
});

/** A source of parallelism 2, keyed into a map -> sink chain of parallelism 3: two vertices, 5 subtasks. */
function twoVertexJob(): JobGraph {
  const env = new StreamExecutionEnvironment({ parallelism: 3 });
  env
    .fromSource(fromCollection([1, 2, 3, 4, 5]), 'numbers')
    .setParallelism(2)
    .keyBy((x) => x % 3)
    .map((x) => x * 10)
    .sinkTo(new CollectSink());
  const { jobGraph } = buildJobPlan('two-vertex', env.graph, { parallelism: env.getParallelism() });
  expect(jobGraph.vertices.map((v) => v.parallelism)).toEqual([2, 3]);
  return jobGraph;
}

function jobVertex(id: string, parallelism: number, inputs: { from: string; partitioner: PartitionerKind }[] = []): JobVertex {
  return {
    id,
    name: id,
    parallelism,
    maxParallelism: 128,
    isSource: inputs.length === 0,
    operators: [{ id: `op-${id}`, uid: '', name: id, kind: inputs.length === 0 ? 'source' : 'map' }],
    inputs: inputs.map(
      (input, i): JobEdge => ({
        id: `${input.from}->${id}#${i}`,
        sourceVertexId: input.from,
        partitioner: input.partitioner,
        keyOperatorId: input.partitioner === 'HASH' ? `op-${id}` : '',
        inputIndex: 0,
      }),
    ),
  };
}

/** src (2) -HASH-> mid (3) -FORWARD-> out (3): 8 subtasks in 3 shared slots. */
function threeVertexJob(): JobGraph {
  return {
    name: 'three-vertex',
    defaultParallelism: 3,
    args: {},
    vertices: [jobVertex('src', 2), jobVertex('mid', 3, [{ from: 'src', partitioner: 'HASH' }]), jobVertex('out', 3, [{ from: 'mid', partitioner: 'FORWARD' }])],
  };
}

/** Submits a job and waits until all its executions are deployed. */
async function submitAndDeploy(c: FakeCluster, graph: JobGraph): Promise<string> {
  const jobId = c.submit(graph);
  const expected = graph.vertices.reduce((n, v) => n + v.parallelism, 0);
  await waitFor(() => c.deployments.filter((d) => d.deployment.jobId === jobId).length === expected, `${expected} deployments`);
  expect(c.job(jobId).state).toBe('RUNNING');
  return jobId;
}

function executionIds(c: FakeCluster, jobId: string): string[] {
  return c.job(jobId).executionGraph.executions.map((e) => e.id);
}

/** Two TaskManagers with 2 slots each, the two-vertex job deployed, and every task RUNNING. */
async function runningTwoVertexJob(c: FakeCluster): Promise<{ jobId: string; ids: string[] }> {
  c.registerTaskManager('tm-1', 2);
  c.registerTaskManager('tm-2', 2);
  const jobId = await submitAndDeploy(c, twoVertexJob());
  const ids = executionIds(c, jobId);
  for (const id of ids) c.reportState(jobId, id, 'RUNNING');
  return { jobId, ids };
}

describe('slot allocation and deployment', () => {
  it('needs as many slots as the largest vertex and deploys subtask i of every vertex into slot i', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    c.registerTaskManager('tm-2', 2);
    const graph = twoVertexJob();
    const jobId = await submitAndDeploy(c, graph);
    const master = c.job(jobId);

    expect(master.executionGraph.requiredSlots).toBe(3);
    expect(c.slotPool.available).toBe(1);
    expect(c.deployments).toHaveLength(5);

    const executions = master.executionGraph.executions;
    expect(executions.map((e) => [e.vertex.id, e.subtask])).toEqual([
      [graph.vertices[0]!.id, 0],
      [graph.vertices[0]!.id, 1],
      [graph.vertices[1]!.id, 0],
      [graph.vertices[1]!.id, 1],
      [graph.vertices[1]!.id, 2],
    ]);
    const slotOf = (subtask: number): string[] =>
      executions.filter((e) => e.subtask === subtask).map((e) => `${e.slot?.taskManager.id}#${e.slot?.index}`);
    const slots = [0, 1, 2].map((i) => slotOf(i));
    for (const s of slots) expect(new Set(s).size).toBe(1);
    expect(slots[2]).toHaveLength(1);
    expect(new Set(slots.map((s) => s[0])).size).toBe(3);

    const usedTaskManagers = new Set(executions.map((e) => e.slot?.taskManager.id));
    expect(usedTaskManagers).toEqual(new Set(['tm-1', 'tm-2']));

    for (const e of executions) {
      const record = c.deployments.find((d) => d.deployment.executionId === e.id);
      expect(record, `deployment of ${e.id}`).toBeDefined();
      expect(record!.taskManagerId).toBe(e.slot!.taskManager.id);
      expect(record!.deployment.slotIndex).toBe(e.slot!.index);
      expect(record!.deployment.subtask).toBe(e.subtask);
      expect(record!.deployment.parallelism).toBe(e.vertex.parallelism);
      expect(record!.deployment.vertexId).toBe(e.vertex.id);
      expect(e.state).toBe('DEPLOYING');
    }
  });

  it('wires input channels to producer addresses and sizes outputs by the target parallelism', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    c.registerTaskManager('tm-2', 1);
    const jobId = await submitAndDeploy(c, threeVertexJob());
    const executions = c.job(jobId).executionGraph.executions;
    const exec = (vertex: string, subtask: number) => executions.find((e) => e.vertex.id === vertex && e.subtask === subtask)!;
    const deploymentOf = (vertex: string, subtask: number) => c.deployments.find((d) => d.deployment.executionId === exec(vertex, subtask).id)!.deployment;
    const addressOf = (vertex: string, subtask: number): string => exec(vertex, subtask).slot!.taskManager.address;
    const taskManagerOf = (vertex: string, subtask: number): string => exec(vertex, subtask).slot!.taskManager.id;

    for (let i = 0; i < 2; i++) {
      const d = deploymentOf('src', i);
      expect(d.inputs).toEqual([]);
      expect(d.outputs).toEqual([
        { edgeId: 'src->mid#0', targetVertexId: 'mid', partitioner: 'HASH', subpartitions: 3, targetMaxParallelism: 128, keyOperatorId: 'op-mid', consumerTaskmanagerIds: [0, 1, 2].map((s) => taskManagerOf('mid', s)) },
      ]);
    }
    for (let i = 0; i < 3; i++) {
      const mid = deploymentOf('mid', i);
      expect(mid.inputs).toHaveLength(1);
      expect(mid.inputs![0]).toMatchObject({ edgeId: 'src->mid#0', sourceVertexId: 'src', partitioner: 'HASH', inputIndex: 0 });
      expect(mid.inputs![0]!.channels).toEqual([0, 1].map((p) => ({ producerExecutionId: exec('src', p).id, producerAddress: addressOf('src', p), producerSubtask: p })));
      expect(mid.outputs).toEqual([
        { edgeId: 'mid->out#0', targetVertexId: 'out', partitioner: 'FORWARD', subpartitions: 3, targetMaxParallelism: 128, keyOperatorId: '', consumerTaskmanagerIds: [taskManagerOf('out', i)] },
      ]);

      const out = deploymentOf('out', i);
      expect(out.inputs![0]!.partitioner).toBe('FORWARD');
      expect(out.inputs![0]!.channels).toEqual([{ producerExecutionId: exec('mid', i).id, producerAddress: addressOf('mid', i), producerSubtask: i }]);
      expect(out.outputs).toEqual([]);
    }
    expect(new Set(executions.map((e) => e.slot!.taskManager.address))).toEqual(new Set([FakeCluster.addressOf('tm-1'), FakeCluster.addressOf('tm-2')]));
  });

  it('fails the job when not enough slots free up before the slot timeout', async () => {
    const c = newCluster({ slotRequestTimeoutMs: 50 });
    c.registerTaskManager('tm-1', 2);
    const jobId = c.submit(twoVertexJob());
    expect(c.job(jobId).state).toBe('CREATED');
    await waitFor(() => c.job(jobId).state === 'FAILED', 'job FAILED');
    const master = c.job(jobId);
    expect(master.failure).toMatch(/no free slots/);
    expect(master.failure).toMatch(/needs 3 slots, 2 of 2 are free/);
    expect(c.states(jobId)).toEqual(['CREATED', 'FAILED']);
    expect(c.deployments).toEqual([]);
    expect(c.slotPool.available).toBe(2);
    expect(master.endTime).toBeGreaterThan(0);
  });

  it('serves a waiting slot request when a TaskManager registers later', async () => {
    const c = newCluster({ slotRequestTimeoutMs: 10_000 });
    c.registerTaskManager('tm-1', 1);
    const jobId = c.submit(twoVertexJob());
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(c.job(jobId).state).toBe('CREATED');
    expect(c.deployments).toEqual([]);
    c.registerTaskManager('tm-2', 2);
    await waitFor(() => c.deployments.length === 5, '5 deployments');
    expect(c.job(jobId).state).toBe('RUNNING');
    expect(c.slotPool.available).toBe(0);
    expect(new Set(c.deployments.map((d) => d.taskManagerId))).toEqual(new Set(['tm-1', 'tm-2']));
  });

  it('queues a second job until the first one releases its slots', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 3);
    const first = await submitAndDeploy(c, twoVertexJob());
    const second = c.submit(twoVertexJob());
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(c.job(second).state).toBe('CREATED');
    c.reportAll(first, 'FINISHED');
    await waitFor(() => c.job(second).state === 'RUNNING', 'second job RUNNING');
    expect(c.deployments.filter((d) => d.deployment.jobId === second)).toHaveLength(5);
  });
});

describe('job lifecycle', () => {
  it('goes CREATED -> RUNNING -> FINISHED when every task finishes, then releases its slots', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    c.registerTaskManager('tm-2', 2);
    const jobId = c.submit(twoVertexJob());
    expect(c.job(jobId).state).toBe('CREATED');
    await waitFor(() => c.deployments.length === 5, '5 deployments');
    const ids = executionIds(c, jobId);
    for (const id of ids) c.reportState(jobId, id, 'INITIALIZING');
    for (const id of ids) c.reportState(jobId, id, 'RUNNING');
    for (const id of ids.slice(0, 4)) c.reportState(jobId, id, 'FINISHED');
    expect(c.job(jobId).state).toBe('RUNNING');
    expect(c.slotPool.available).toBe(1);
    c.reportState(jobId, ids[4]!, 'FINISHED');

    const master = c.job(jobId);
    expect(master.state).toBe('FINISHED');
    expect(master.failure).toBe('');
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'FINISHED']);
    expect(c.slotPool.available).toBe(4);
    expect(c.cancels).toEqual([]);
    await waitFor(() => c.releases.length === 2, 'releaseJob on both TaskManagers');
    expect(c.releases.map((r) => r.taskManagerId).sort()).toEqual(['tm-1', 'tm-2']);
    expect(c.releases.every((r) => r.jobId === jobId)).toBe(true);

    const status = c.dispatcher.status(jobId);
    expect(status.state).toBe('FINISHED');
    expect(status.tasks?.map((t) => t.state)).toEqual(['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED', 'FINISHED']);
  });

  it('ignores reports for unknown executions and after a task ended', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 3);
    const jobId = await submitAndDeploy(c, twoVertexJob());
    const [first] = executionIds(c, jobId);
    c.reportState(jobId, 'no-such-execution', 'FAILED', 'ghost');
    c.reportState('no-such-job', first!, 'FAILED', 'ghost');
    c.reportState(jobId, first!, 'FINISHED');
    c.reportState(jobId, first!, 'FAILED', 'late failure');
    expect(c.job(jobId).state).toBe('RUNNING');
    expect(c.job(jobId).executionGraph.get(first!)?.state).toBe('FINISHED');
  });

  it('fails the job when a task fails: FAILING, cancels the others, then FAILED with the task failure', async () => {
    const c = newCluster();
    const { jobId, ids } = await runningTwoVertexJob(c);
    c.reportState(jobId, ids[0]!, 'FINISHED');
    c.reportState(jobId, ids[3]!, 'FAILED', 'TypeError: boom in map');

    const master = c.job(jobId);
    expect(master.state).toBe('FAILING');
    expect(master.failure).toContain('TypeError: boom in map');
    expect(master.failure).toContain('(2/3)');
    const cancelled = c.cancels.map((x) => x.executionId).sort();
    expect(cancelled).toEqual([ids[1]!, ids[2]!, ids[4]!].sort());
    expect(c.cancels.every((x) => x.jobId === jobId)).toBe(true);
    for (const x of c.cancels) {
      expect(x.taskManagerId).toBe(master.executionGraph.get(x.executionId)!.slot!.taskManager.id);
    }
    expect(c.slotPool.available).toBe(1);

    c.reportState(jobId, ids[1]!, 'CANCELED');
    c.reportState(jobId, ids[2]!, 'CANCELED');
    expect(master.state).toBe('FAILING');
    c.reportState(jobId, ids[4]!, 'CANCELED');
    expect(master.state).toBe('FAILED');
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'FAILING', 'FAILED']);
    expect(master.failure).toContain('TypeError: boom in map');
    expect(c.slotPool.available).toBe(4);
    const status = c.dispatcher.status(jobId);
    expect(status.failure).toContain('boom');
    expect(status.tasks?.find((t) => t.state === 'FAILED')?.failure).toBe('TypeError: boom in map');
  });

  it('fails the job when a deployment fails', async () => {
    const c = newCluster({ confirmCancels: true });
    c.registerTaskManager('tm-1', 2);
    c.registerTaskManager('tm-2', 1);
    c.gatewayOf('tm-2').deployFailure = 'connection refused';
    const jobId = c.submit(twoVertexJob());
    await waitFor(() => c.job(jobId).state === 'FAILED', 'job FAILED');
    const master = c.job(jobId);
    expect(master.failure).toMatch(/deploying .* to fake:\/\/tm-2 failed: connection refused/);
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'FAILING', 'FAILED']);
    expect(c.slotPool.available).toBe(3);
  });

  it('cancels a running job: CANCELLING, then CANCELED once every task confirmed', async () => {
    const c = newCluster();
    const { jobId, ids } = await runningTwoVertexJob(c);

    c.dispatcher.cancel(jobId);
    const master = c.job(jobId);
    expect(master.state).toBe('CANCELLING');
    expect(c.cancels.map((x) => x.executionId).sort()).toEqual([...ids].sort());
    expect(master.executionGraph.executions.every((e) => e.state === 'CANCELING')).toBe(true);
    c.dispatcher.cancel(jobId);
    expect(c.cancels).toHaveLength(5);

    for (const id of ids.slice(0, 4)) c.reportState(jobId, id, 'CANCELED');
    expect(master.state).toBe('CANCELLING');
    c.reportState(jobId, ids[4]!, 'CANCELED');
    expect(master.state).toBe('CANCELED');
    expect(master.failure).toBe('');
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'CANCELLING', 'CANCELED']);
    expect(c.slotPool.available).toBe(4);
  });

  it('confirms a cancellation itself when the cancel call fails', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 3);
    const jobId = await submitAndDeploy(c, twoVertexJob());
    c.gatewayOf('tm-1').cancelFailure = 'unreachable';
    c.dispatcher.cancel(jobId);
    await waitFor(() => c.job(jobId).state === 'CANCELED', 'job CANCELED');
    expect(c.cancels).toHaveLength(5);
  });

  it('gives up on unconfirmed cancellations after the cancel timeout', async () => {
    const c = newCluster({ cancelTimeoutMs: 30 });
    c.registerTaskManager('tm-1', 3);
    const jobId = await submitAndDeploy(c, twoVertexJob());
    c.dispatcher.cancel(jobId);
    expect(c.job(jobId).state).toBe('CANCELLING');
    await waitFor(() => c.job(jobId).state === 'CANCELED', 'job CANCELED');
    expect(c.job(jobId).executionGraph.executions.every((e) => e.failure === 'did not confirm cancellation in time')).toBe(true);
  });

  it('cancels a job that still waits for slots without deploying it', async () => {
    const c = newCluster({ slotRequestTimeoutMs: 10_000 });
    const jobId = c.submit(twoVertexJob());
    c.dispatcher.cancel(jobId);
    expect(c.job(jobId).state).toBe('CANCELED');
    c.registerTaskManager('tm-1', 3);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(c.deployments).toEqual([]);
    expect(c.slotPool.available).toBe(3);
  });

  it('keeps failing a job that is cancelled while it fails', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 3);
    const jobId = await submitAndDeploy(c, twoVertexJob());
    const ids = executionIds(c, jobId);
    c.reportState(jobId, ids[0]!, 'FAILED', 'disk full');
    expect(c.job(jobId).state).toBe('FAILING');
    expect(() => c.dispatcher.cancel(jobId)).not.toThrow();
    expect(c.job(jobId).state).toBe('FAILING');
    c.reportAll(jobId, 'CANCELED');
    expect(c.job(jobId).state).toBe('FAILED');
    expect(c.job(jobId).failure).toContain('disk full');
  });

  it('fails the job when a TaskManager misses its heartbeats, naming it in the reason', async () => {
    const c = newCluster({ heartbeatTimeoutMs: 5_000 });
    c.registerTaskManager('tm-1', 2);
    c.registerTaskManager('tm-2', 2);
    const jobId = await submitAndDeploy(c, twoVertexJob());
    const master = c.job(jobId);
    for (const id of executionIds(c, jobId)) c.reportState(jobId, id, 'RUNNING');
    const onLost = master.executionGraph.executions.filter((e) => e.slot!.taskManager.id === 'tm-1').map((e) => e.id);
    const onSurvivor = master.executionGraph.executions.filter((e) => e.slot!.taskManager.id === 'tm-2').map((e) => e.id);
    expect(onLost.length).toBeGreaterThan(0);
    expect(onSurvivor.length).toBeGreaterThan(0);

    c.clock.advance(3_000);
    c.heartbeat('tm-2');
    c.registry.checkHeartbeats();
    expect(master.state).toBe('RUNNING');
    c.clock.advance(2_001);
    c.registry.checkHeartbeats();
    expect(c.registry.get('tm-1')).toBeUndefined();
    expect(c.registry.get('tm-2')).toBeDefined();

    expect(master.state).toBe('FAILING');
    expect(master.failure).toMatch(/TaskManager tm-1 \(fake:\/\/tm-1\) heartbeat timed out after 5000 ms/);
    for (const id of onLost) expect(master.executionGraph.get(id)).toMatchObject({ state: 'FAILED' });
    expect(c.cancels.map((x) => x.executionId).sort()).toEqual([...onSurvivor].sort());
    expect(c.cancels.every((x) => x.taskManagerId === 'tm-2')).toBe(true);
    expect(c.slotPool.total).toBe(2);

    for (const id of onSurvivor) c.reportState(jobId, id, 'CANCELED');
    expect(master.state).toBe('FAILED');
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'FAILING', 'FAILED']);
    expect(master.failure).toMatch(/tm-1.*heartbeat timed out/);
    expect(c.slotPool.available).toBe(2);
    expect(c.gateways.find((g) => g.address === FakeCluster.addressOf('tm-1'))?.closed).toBe(true);
  });

  it('does not disturb a job when a TaskManager it does not use is lost', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 3);
    const jobId = await submitAndDeploy(c, twoVertexJob());
    c.registerTaskManager('tm-idle', 2);
    c.heartbeat('tm-1');
    c.clock.advance(6_000);
    c.heartbeat('tm-1');
    c.registry.checkHeartbeats();
    expect(c.registry.get('tm-idle')).toBeUndefined();
    expect(c.job(jobId).state).toBe('RUNNING');
    expect(c.cancels).toEqual([]);
  });
});

describe('Dispatcher', () => {
  function codeOf(fn: () => unknown): number | undefined {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(SluiceError);
      return (error as SluiceError).code;
    }
    throw new Error('expected the call to throw');
  }

  it('rejects an oversized bundle with INVALID_ARGUMENT', () => {
    const c = newCluster({ maxBundleBytes: 1024 });
    c.registerTaskManager('tm-1', 3);
    expect(codeOf(() => c.submit(twoVertexJob(), 1025))).toBe(status.INVALID_ARGUMENT);
    expect(() => c.submit(twoVertexJob(), 1025)).toThrow(/bundle too large: 1025 bytes, the limit is 1024 bytes/);
    expect(codeOf(() => c.submit(twoVertexJob(), 0))).toBe(status.INVALID_ARGUMENT);
    expect(c.dispatcher.allJobs).toEqual([]);
    expect(typeof c.submit(twoVertexJob(), 1024)).toBe('string');
  });

  it('rejects an invalid graph with INVALID_ARGUMENT', () => {
    const c = newCluster();
    const graph = threeVertexJob();
    graph.vertices[2]!.inputs[0]!.sourceVertexId = 'missing';
    expect(codeOf(() => c.submit(graph))).toBe(status.INVALID_ARGUMENT);
    expect(() => c.submit(graph)).toThrow(/unknown vertex missing/);
    const cyclic = threeVertexJob();
    cyclic.vertices[1]!.inputs.push({ id: 'back', sourceVertexId: 'out', partitioner: 'FORWARD', keyOperatorId: '', inputIndex: 0 });
    expect(codeOf(() => c.submit(cyclic))).toBe(status.INVALID_ARGUMENT);
    expect(c.dispatcher.allJobs).toEqual([]);
  });

  it('answers NOT_FOUND for unknown job ids', () => {
    const c = newCluster();
    const unknown = '0'.repeat(32);
    expect(codeOf(() => c.dispatcher.job(unknown))).toBe(status.NOT_FOUND);
    expect(codeOf(() => c.dispatcher.status(unknown))).toBe(status.NOT_FOUND);
    expect(codeOf(() => c.dispatcher.cancel(unknown))).toBe(status.NOT_FOUND);
    expect(codeOf(() => c.dispatcher.pushCollected(unknown, Buffer.from('x'), 1))).toBe(status.NOT_FOUND);
    expect(() => c.dispatcher.status(unknown)).toThrow(/unknown job id 0{32}/);
  });

  it('lists jobs newest first and reports their status', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 6);
    const a = c.submit(twoVertexJob());
    const b = c.submit(threeVertexJob());
    expect(c.dispatcher.allJobs.map((j) => j.jobId)).toEqual([b, a]);
    await waitFor(() => c.deployments.length === 13, '13 deployments');
    const s = c.dispatcher.status(b, true);
    expect(s).toMatchObject({ jobId: b, name: 'three-vertex', state: 'RUNNING' });
    expect(s.graph?.vertices?.map((v) => v.id)).toEqual(['src', 'mid', 'out']);
    expect(s.tasks).toHaveLength(8);
    expect(c.dispatcher.status(a).graph).toBeUndefined();
  });
});
