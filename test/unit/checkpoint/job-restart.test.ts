/**
 * Job restarts on the JobManager against fake TaskManagers (FakeCluster, no sockets): a task
 * failure under `fixed-delay:attempts=2,delay=10` goes FAILING → RESTARTING → RUNNING with a new
 * attempt of every execution, and the third failure ends FAILED naming the cause and "no more
 * restarts"; without checkpointing the default is no restart; a restart after completed
 * checkpoints deploys every task with the `restore` of the latest one; a hostile acknowledgement
 * (another vertex's operator, a path outside the checkpoint root) declines its checkpoint without
 * failing the job; a restart after a lost
 * TaskManager waits for slots and deploys on a newly registered one; `restarts` and `lastFailure`
 * appear in the job status.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperatorSubtaskState } from '../../../common/checkpoint/checkpoint-types.ts';
import type { JobGraph, JobVertex } from '../../../common/rpc/index.ts';
import type { SubmitOptions } from '../../../jobmanager/dispatcher.ts';
import { FakeCluster, waitFor, type FakeClusterOptions } from '../../support/fakes/fake-taskmanager-gateway.ts';

let cluster: FakeCluster | undefined;
const dirs: string[] = [];

afterEach(() => {
  cluster?.close();
  cluster = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newCluster(options: FakeClusterOptions = {}): FakeCluster {
  cluster = new FakeCluster({ confirmCancels: true, ...options });
  return cluster;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-restart-'));
  dirs.push(dir);
  return dir;
}

function vertex(id: string, isSource: boolean, inputs: JobVertex['inputs'] = []): JobVertex {
  return { id, name: id, parallelism: 2, maxParallelism: 128, isSource, inputs, operators: [{ id: `op-${id}`, uid: '', name: id, kind: isSource ? 'source' : 'sink' }] };
}

/** src (2) -FORWARD-> sink (2): four executions in two slots. */
function graph(): JobGraph {
  return {
    name: 'restartable',
    defaultParallelism: 2,
    args: {},
    vertices: [vertex('src', true), vertex('sink', false, [{ id: 'src->sink#0', sourceVertexId: 'src', partitioner: 'FORWARD', keyOperatorId: '', inputIndex: 0 }])],
  };
}

/** The deployments of one attempt of a job. */
function deploymentsOf(c: FakeCluster, jobId: string, attempt: number) {
  return c.deployments.filter((d) => d.deployment.jobId === jobId && d.deployment.attempt === attempt);
}

/** Submits, waits for the first attempt's four deployments and reports every task RUNNING. */
async function runningJob(c: FakeCluster, options: SubmitOptions): Promise<string> {
  const jobId = c.submit(graph(), 16, options);
  await waitFor(() => deploymentsOf(c, jobId, 0).length === 4, '4 deployments of attempt 0');
  c.reportAll(jobId, 'RUNNING');
  expect(c.job(jobId).state).toBe('RUNNING');
  return jobId;
}

/** Fails one task of the current attempt as its TaskManager would report it. */
function failTask(c: FakeCluster, jobId: string, subtask: number, failure: string): void {
  const e = c.job(jobId).executionGraph.executions.find((x) => x.vertex.id === 'src' && x.subtask === subtask)!;
  c.reportState(jobId, e.id, 'FAILED', failure);
}

describe('job restarts', () => {
  it('restarts with a new attempt under fixed-delay and ends FAILED after the attempts are used up', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    const jobId = await runningJob(c, { restartStrategy: 'fixed-delay:attempts=2,delay=10' });
    const master = c.job(jobId);
    const firstIds = master.executionGraph.executions.map((e) => e.id);
    expect(firstIds).toEqual([`${jobId}_src_0_0`, `${jobId}_src_1_0`, `${jobId}_sink_0_0`, `${jobId}_sink_1_0`]);

    for (const attempt of [1, 2]) {
      failTask(c, jobId, 1, `TypeError: boom ${attempt}`);
      expect(master.state).toBe('FAILING');
      await waitFor(() => master.state === 'RUNNING' && deploymentsOf(c, jobId, attempt).length === 4, `attempt ${attempt} deployed`);
      const ids = master.executionGraph.executions.map((e) => e.id);
      expect(ids).toEqual([`${jobId}_src_0_${attempt}`, `${jobId}_src_1_${attempt}`, `${jobId}_sink_0_${attempt}`, `${jobId}_sink_1_${attempt}`]);
      expect(deploymentsOf(c, jobId, attempt).map((d) => d.deployment.executionId).sort()).toEqual([...ids].sort());
      expect(master.executionGraph.executions.every((e) => e.attempt === attempt && e.state === 'DEPLOYING')).toBe(true);
      expect(master.restarts).toBe(attempt);
      expect(c.dispatcher.status(jobId)).toMatchObject({ state: 'RUNNING', restarts: attempt, lastFailure: expect.stringContaining(`TypeError: boom ${attempt}`) });
      c.reportAll(jobId, 'RUNNING');
    }
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'FAILING', 'RESTARTING', 'RUNNING', 'FAILING', 'RESTARTING', 'RUNNING']);
    // Reports of an old attempt are ignored.
    c.reportState(jobId, `${jobId}_src_0_0`, 'FAILED', 'stale');
    expect(master.state).toBe('RUNNING');

    failTask(c, jobId, 0, 'TypeError: boom 3');
    await waitFor(() => master.state === 'FAILED', 'job FAILED');
    expect(c.states(jobId).slice(-2)).toEqual(['FAILING', 'FAILED']);
    expect(master.failure).toContain('src (1/2) failed: TypeError: boom 3');
    expect(master.failure).toContain('no more restarts after 2');
    expect(master.failure).toContain('fixed-delay(2 attempts, 10 ms)');
    expect(c.deployments).toHaveLength(12);
    const status = c.dispatcher.status(jobId);
    expect(status).toMatchObject({ state: 'FAILED', restarts: 2, lastFailure: master.failure });
    expect(status.lastFailureTime).toBeGreaterThan(0);
  });

  it('does not restart a job without checkpointing that names no strategy', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    const jobId = await runningJob(c, {});
    failTask(c, jobId, 0, 'RangeError: nope');
    await waitFor(() => c.job(jobId).state === 'FAILED', 'job FAILED');
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'FAILING', 'FAILED']);
    expect(c.job(jobId).failure).toBe('src (1/2) failed: RangeError: nope');
    expect(c.deployments).toHaveLength(4);
    expect(c.dispatcher.status(jobId)).toMatchObject({ restarts: 0, lastFailure: 'src (1/2) failed: RangeError: nope' });
  });

  it('restarts a checkpointing job that names no strategy (the default strategy)', async () => {
    const c = newCluster();
    c.registerTaskManager('tm-1', 2);
    const jobId = await runningJob(c, { checkpoint: { intervalMs: 60_000 } });
    failTask(c, jobId, 0, 'flaky');
    await waitFor(() => c.job(jobId).state === 'RESTARTING', 'job RESTARTING');
    c.dispatcher.cancel(jobId);
    expect(c.job(jobId).state).toBe('CANCELED');
  });

  it('restores every task from the latest completed checkpoint', async () => {
    const checkpointDir = tempDir();
    const c = newCluster({ checkpointDir });
    c.registerTaskManager('tm-1', 2);
    const jobId = await runningJob(c, { checkpoint: { intervalMs: 10, timeoutMs: 5_000 }, restartStrategy: 'fixed-delay:attempts=1,delay=10' });
    const master = c.job(jobId);
    for (const d of deploymentsOf(c, jobId, 0)) {
      expect(d.deployment).toMatchObject({ checkpointing: true, checkpointRoot: join(checkpointDir, jobId), restore: null });
    }

    const stateOf = (vertexId: string, subtask: number, checkpointId: number): OperatorSubtaskState[] => [
      { operatorId: `op-${vertexId}`, subtask, keyed: null, operatorState: { position: { mode: 'SPLIT', entries: [Buffer.from(`${vertexId}-${subtask}@${checkpointId}`)] } } },
    ];
    for (const checkpointId of [1, 2]) {
      await waitFor(() => c.gateways.flatMap((g) => g.triggers).filter((t) => t.barrier.checkpointId === checkpointId).length === 2, `triggers of checkpoint ${checkpointId}`);
      const triggered = c.gateways.flatMap((g) => g.triggers).filter((t) => t.barrier.checkpointId === checkpointId);
      expect(triggered.map((t) => t.executionId).sort()).toEqual([`${jobId}_src_0_0`, `${jobId}_src_1_0`]);
      for (const e of master.executionGraph.executions) {
        c.dispatcher.acknowledgeCheckpoint(jobId, e.id, checkpointId, stateOf(e.vertex.id, e.subtask, checkpointId), 10, 10);
      }
      await waitFor(() => master.checkpoints.latest?.checkpointId === checkpointId, `checkpoint ${checkpointId} completed`);
    }
    await waitFor(() => c.gatewayOf('tm-1').notifications.filter((n) => n.completed).length === 2, 'two completion notifications');
    expect(c.gatewayOf('tm-1').notifications.filter((n) => n.completed).map((n) => n.checkpointId)).toEqual([1, 2]);

    failTask(c, jobId, 1, 'Error: lost connection');
    await waitFor(() => master.state === 'RUNNING' && deploymentsOf(c, jobId, 1).length === 4, 'attempt 1 deployed');
    for (const d of deploymentsOf(c, jobId, 1)) {
      const { vertexId, subtask } = d.deployment;
      expect(d.deployment.restore).toEqual({
        checkpointId: 2,
        root: join(checkpointDir, jobId),
        operators: [{ operatorId: `op-${vertexId}`, keyed: [], operatorState: { position: { mode: 'SPLIT', entries: [Buffer.from(`${vertexId}-${subtask}@2`)] } } }],
      });
    }
    const status = c.dispatcher.status(jobId);
    expect(status.restarts).toBe(1);
    expect(status.lastFailure).toContain('Error: lost connection');
    expect(status.checkpoints).toMatchObject({ completed: 2, latest: { id: 2, path: join(checkpointDir, jobId, 'chk-2', '_metadata'), savepoint: false } });
  });

  it('declines an acknowledgement naming another vertex\'s operator or a foreign path, keeps the job running and completes the next checkpoint', async () => {
    const checkpointDir = tempDir();
    const c = newCluster({ checkpointDir });
    c.registerTaskManager('tm-1', 2);
    const jobId = await runningJob(c, { checkpoint: { intervalMs: 10, timeoutMs: 5_000 } });
    const master = c.job(jobId);
    const triggered = (id: number) => c.gateways.flatMap((g) => g.triggers).some((t) => t.barrier.checkpointId === id);
    const aborts = () => c.logs.filter((r) => r.msg === 'checkpoint aborted');
    const honest = (vertexId: string, subtask: number): OperatorSubtaskState[] => [{ operatorId: `op-${vertexId}`, subtask, keyed: null, operatorState: {} }];
    const hostile: [string, OperatorSubtaskState[]][] = [
      ['it holds state of operator "op-sink", which the task does not run (its operators: op-src)', honest('sink', 0)],
      [
        'operator "op-src": keyed state: state file path "../../../etc/shadow" is not inside its storage root',
        [{ ...honest('src', 0)[0]!, keyed: { keyGroupRange: { start: 0, end: 63 }, files: [{ path: '../../../etc/shadow', kind: 'FULL', checkpointId: 1, bytes: 1 }] } }],
      ],
    ];

    for (const [i, [cause, states]] of hostile.entries()) {
      const checkpointId = i + 1;
      await waitFor(() => triggered(checkpointId), `checkpoint ${checkpointId} triggered`);
      expect(() => c.dispatcher.acknowledgeCheckpoint(jobId, `${jobId}_src_0_0`, checkpointId, states, 10, 10)).not.toThrow();
      await waitFor(() => aborts().length === checkpointId, `checkpoint ${checkpointId} aborted`);
      expect(aborts()[i]).toMatchObject({ job: jobId, checkpoint: checkpointId, reason: `the acknowledgement of ${jobId}_src_0_0 is invalid: ${cause}` });
    }
    expect(master.state).toBe('RUNNING');
    expect(master.checkpoints.counts).toMatchObject({ completed: 0, failed: 2 });

    await waitFor(() => triggered(3), 'checkpoint 3 triggered');
    for (const e of master.executionGraph.executions) c.dispatcher.acknowledgeCheckpoint(jobId, e.id, 3, honest(e.vertex.id, e.subtask), 10, 10);
    await waitFor(() => master.checkpoints.latest?.checkpointId === 3, 'checkpoint 3 completed');
    expect(master.state).toBe('RUNNING');
    expect(c.logs.filter((r) => (r.level as number) >= 50)).toEqual([]);
  });

  it('waits for slots after a lost TaskManager and deploys the restart on a newly registered one', async () => {
    const c = newCluster({ heartbeatTimeoutMs: 5_000, slotRequestTimeoutMs: 10_000 });
    c.registerTaskManager('tm-1', 1);
    c.registerTaskManager('tm-2', 1);
    const jobId = await runningJob(c, { restartStrategy: 'fixed-delay:attempts=3,delay=10' });
    const master = c.job(jobId);
    expect(new Set(deploymentsOf(c, jobId, 0).map((d) => d.taskManagerId))).toEqual(new Set(['tm-1', 'tm-2']));

    c.clock.advance(3_000);
    c.heartbeat('tm-2');
    c.clock.advance(2_001);
    c.registry.checkHeartbeats();
    expect(c.registry.get('tm-1')).toBeUndefined();
    expect(master.state).toBe('FAILING');

    // The restart has begun but one slot is missing: it waits, deploying nothing.
    await waitFor(() => master.restarts === 1, 'the restart to begin');
    await new Promise<void>((resolve) => setTimeout(resolve, 30));
    expect(master.state).toBe('RESTARTING');
    expect(deploymentsOf(c, jobId, 1)).toEqual([]);

    c.registerTaskManager('tm-3', 1);
    await waitFor(() => deploymentsOf(c, jobId, 1).length === 4, 'attempt 1 deployed');
    expect(master.state).toBe('RUNNING');
    expect(new Set(deploymentsOf(c, jobId, 1).map((d) => d.taskManagerId))).toEqual(new Set(['tm-2', 'tm-3']));
    expect(c.states(jobId)).toEqual(['CREATED', 'RUNNING', 'FAILING', 'RESTARTING', 'RUNNING']);
    const status = c.dispatcher.status(jobId);
    expect(status.restarts).toBe(1);
    expect(status.lastFailure).toMatch(/TaskManager tm-1 \(fake:\/\/tm-1\) heartbeat timed out/);
    expect(status.lastFailureTime).toBeGreaterThan(0);
  });
});
