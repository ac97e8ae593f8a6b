/**
 * A TaskManager's side of the attempt fence, in process: a real TaskManager with a fake
 * JobManager gateway (test/support/fakes/fake-jobmanager-gateway.ts), deployed to over gRPC as
 * the JobManager does, running a real task (a datagen source chained to a file sink).
 *
 * - A checkpoint notification reaches only the tasks of the attempt it names: a completed
 *   checkpoint of another attempt commits none of the task's pre-committed files.
 * - Deploying a newer attempt of a job cancels the tasks of its older attempts still there.
 * - A TaskManager whose heartbeats hang (the JobManager behind a cut link) cancels its tasks once
 *   the heartbeat timeout has passed since the last answer, and registers again.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareJob } from '../../../client/cli/prepare-job.ts';
import { validateJobGraph } from '../../../common/graph/job-graph-validation.ts';
import { messageCodec } from '../../../common/rpc/message-codec.ts';
import type { JobGraph, JobGraphInput, TaskDeploymentInput } from '../../../common/rpc/index.ts';
import { GrpcTaskManagerGateway } from '../../../jobmanager/gateway/grpc-taskmanager-gateway.ts';
import { ExecutionGraph } from '../../../jobmanager/jobmaster/execution-graph.ts';
import { TaskManager } from '../../../taskmanager/taskmanager.ts';
import { readCommittedOutput } from '../../../client/chaos/committed-output.ts';
import { FakeJobManagerGateway } from '../../support/fakes/fake-jobmanager-gateway.ts';
import { waitFor } from '../../support/wait-for.ts';

vi.hoisted(() => {
  process.env.SLUICE_LOG_LEVEL ??= 'error';
});

const JOB_ID = '5eed0000000000000000000000000001';
const HEARTBEAT_TIMEOUT_MS = 400;

interface Setup {
  readonly dir: string;
  readonly out: string;
  readonly jobManager: FakeJobManagerGateway;
  readonly taskManager: TaskManager;
  /** The JobManager's gateway to the TaskManager. */
  readonly gateway: GrpcTaskManagerGateway;
  /** The deployment of subtask 0 of the job's one task in attempt `attempt`. */
  deployment(attempt: number): TaskDeploymentInput;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-tm-fence-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'out');
  const prepared = await prepareJob('test/jobs/forward-sink', 1, { rate: '200', out: `file:${out}` });
  const codec = messageCodec<JobGraphInput, JobGraph>('sluice.control.JobGraph');
  const graph = codec.decode(codec.encode(prepared.plan.jobGraph));
  const vertices = validateJobGraph(graph);
  expect(vertices).toHaveLength(1);
  const jobManager = new FakeJobManagerGateway();
  jobManager.accepted = { jobmanagerId: 'fake-jobmanager', heartbeatIntervalMs: 50, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS };
  jobManager.bundles.set(JOB_ID, { bundle: prepared.bundle, graph });
  const taskManager = new TaskManager({ jobManagerAddress: 'fake-jobmanager:0', slots: 2, dataDir: join(dir, 'tm'), security: { mode: 'insecure' } }, jobManager);
  await taskManager.start();
  cleanups.push(() => taskManager.stop());
  const gateway = new GrpcTaskManagerGateway(taskManager.rpcAddress, { mode: 'insecure' });
  cleanups.push(async () => gateway.close());
  const deployment = (attempt: number): TaskDeploymentInput => {
    const executions = new ExecutionGraph(JOB_ID, graph, vertices, attempt);
    executions.assignSlots([
      { index: 0, jobId: JOB_ID, taskManager: { id: taskManager.id, address: taskManager.rpcAddress, slots: 2, metricsAddress: '', gateway, registeredAt: 0, lastHeartbeat: 0 } },
    ]);
    return { ...executions.deploymentOf(executions.executions[0]!), checkpointing: true, checkpointRoot: join(dir, 'checkpoints'), restore: null };
  };
  return { dir, out, jobManager, taskManager, gateway, deployment };
}

/** Deploys attempt `attempt` and waits until its task runs. */
async function deployRunning(s: Setup, attempt: number): Promise<string> {
  const deployment = s.deployment(attempt);
  await s.gateway.deployTask(deployment);
  const executionId = deployment.executionId!;
  await waitFor(() => s.jobManager.statesOf(executionId).includes('RUNNING'), `${executionId} running`);
  return executionId;
}

/** Triggers checkpoint `checkpointId` at the source and waits for its acknowledgement: the sink has pre-committed its part. */
async function checkpoint(s: Setup, executionId: string, checkpointId: number): Promise<void> {
  await s.gateway.triggerCheckpoint({ jobId: JOB_ID, executionId, barrier: { checkpointId, timestamp: Date.now(), savepointRoot: '', full: true, final: false } });
  await waitFor(() => s.jobManager.acks.some((a) => a.executionId === executionId && a.checkpointId === checkpointId), `checkpoint ${checkpointId} acknowledged`);
}

function pendingParts(out: string): string[] {
  return readdirSync(out).filter((name) => name.endsWith('.pending'));
}

describe('the attempt fence of a TaskManager', () => {
  it('commits a checkpoint only when it is notified for the attempt of the task', async () => {
    const s = await setup();
    const executionId = await deployRunning(s, 0);
    await checkpoint(s, executionId, 1);
    expect(pendingParts(s.out)).toHaveLength(1);

    await s.gateway.notifyCheckpoint({ jobId: JOB_ID, attempt: 1, checkpointId: 1, completed: true });
    await s.gateway.notifyCheckpoint({ jobId: JOB_ID, attempt: 0, checkpointId: 1, completed: true });
    await waitFor(() => readCommittedOutput(s.out).length > 0, 'checkpoint 1 committed');
    expect(pendingParts(s.out)).toEqual([]);
  });

  it('commits nothing for a notification of another attempt, up to the end of the task', async () => {
    const s = await setup();
    const executionId = await deployRunning(s, 0);
    await checkpoint(s, executionId, 1);
    await s.gateway.notifyCheckpoint({ jobId: JOB_ID, attempt: 1, checkpointId: 1, completed: true });
    await s.gateway.cancelTask(JOB_ID, executionId);
    await waitFor(() => s.jobManager.statesOf(executionId).includes('CANCELED'), `${executionId} cancelled`);
    expect(readCommittedOutput(s.out)).toEqual([]);
    expect(pendingParts(s.out)).toHaveLength(1);
  });

  it('cancels the tasks of an older attempt when a newer attempt of the job is deployed', async () => {
    const s = await setup();
    const stale = await deployRunning(s, 0);
    await checkpoint(s, stale, 1);
    const current = await deployRunning(s, 1);
    await waitFor(() => s.jobManager.statesOf(stale).includes('CANCELED'), `${stale} cancelled`);
    expect(s.jobManager.statesOf(current).at(-1)).toBe('RUNNING');
    await s.gateway.notifyCheckpoint({ jobId: JOB_ID, attempt: 0, checkpointId: 1, completed: true });
    await s.gateway.cancelTask(JOB_ID, current);
    await waitFor(() => s.jobManager.statesOf(current).includes('CANCELED'), `${current} cancelled`);
    expect(readCommittedOutput(s.out)).toEqual([]);
  });

  it('cancels its tasks and registers again once heartbeats have gone unanswered for the timeout', async () => {
    const s = await setup();
    const executionId = await deployRunning(s, 0);
    expect(s.jobManager.registrations).toHaveLength(1);
    s.jobManager.heartbeatMode = 'hang';
    await waitFor(() => s.jobManager.registrations.length === 2, 'a second registration');
    await waitFor(() => s.jobManager.statesOf(executionId).includes('CANCELED'), `${executionId} cancelled`);
    expect(s.jobManager.registeredAt[1]! - s.jobManager.lastAnsweredAt).toBeGreaterThanOrEqual(HEARTBEAT_TIMEOUT_MS);
    expect(s.jobManager.registrations[1]).toEqual(s.jobManager.registrations[0]);
  });
});
