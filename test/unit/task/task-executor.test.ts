/**
 * A TaskExecutor (taskmanager/task-executor.ts) without a TaskManager process or a JobManager:
 * the FakeJobManagerGateway serves the job's bundle and receives task states and checkpoint
 * acknowledgements, and every subtask of the job runs on this executor over local channels, so
 * no socket is opened. The tasks are built from the job's plan (build-task-parts.ts) and run real
 * operators, state and file sinks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareJob } from '../../../client/cli/prepare-job.ts';
import type { DataGenSplit } from '../../../connectors/datagen/datagen-split.ts';
import type { TaskDeployment } from '../../../common/rpc/index.ts';
import { resolveTaskManagerConfig } from '../../../taskmanager/config.ts';
import { decodeOperatorState } from '../../../taskmanager/checkpoint/operator-state-codec.ts';
import { DataClientPool } from '../../../taskmanager/network/data-client-pool.ts';
import { PartitionManager } from '../../../taskmanager/network/partition-manager.ts';
import { TaskExecutor } from '../../../taskmanager/task-executor.ts';
import { readCommittedOutput } from '../../../client/chaos/committed-output.ts';
import { FakeJobManagerGateway } from '../../support/fakes/fake-jobmanager-gateway.ts';
import { localDeployments } from '../../support/local-deployments.ts';
import { testBarrier } from '../../support/test-input-channel.ts';
import { waitFor } from '../../support/wait-for.ts';

const ADDRESS = 'tm-under-test:1';
const JOB_ID = 'job-executor-test';
type LogRecord = Record<string, unknown>;

let dir: string;
let gateway: FakeJobManagerGateway;
let executor: TaskExecutor;
let logs: LogRecord[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-executor-'));
  gateway = new FakeJobManagerGateway();
  logs = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) });
  const config = resolveTaskManagerConfig({ jobManagerAddress: 'unused:1', security: { mode: 'insecure' } });
  executor = new TaskExecutor(
    () => 'tm-test',
    () => gateway,
    { address: ADDRESS, partitions: new PartitionManager({ subscribeTimeoutMs: 5_000, maxPendingSubscriptions: 1 }), dataClients: new DataClientPool({ mode: 'insecure' }), partitionConfig: config.partition, initialCredit: config.initialCredit, log },
    join(dir, 'data'),
    config.stateCache,
    log,
  );
});

afterEach(async () => {
  executor.cancelAll();
  await waitFor(() => executor.allTasks.length === 0, 'every task to end');
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The ids a file output committed, in order. */
function committedIds(out: string): number[] {
  return readCommittedOutput<{ id: number }>(out)
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

/** The record indexes a datagen split generated before its snapshot. */
function generated(split: DataGenSplit): number[] {
  const ids: number[] = [];
  for (let i = split.start; i < (split.offset ?? split.start); i += split.stride) ids.push(i);
  return ids;
}

/** Prepares the poison test job, hands its bundle to the fake JobManager and deploys every subtask. */
async function deployPoisonJob(args: Record<string, string>, checkpointing: boolean): Promise<TaskDeployment[]> {
  const prepared = await prepareJob('test/jobs/poison', 1, args);
  gateway.bundles.set(JOB_ID, { bundle: prepared.bundle, graph: prepared.plan.jobGraph });
  const deployments = localDeployments(JOB_ID, prepared.plan.jobGraph, { address: ADDRESS, taskmanagerId: 'tm-test', checkpointing, checkpointRoot: join(dir, 'checkpoints') });
  for (const d of deployments) await executor.deploy(d);
  return deployments;
}

describe('TaskExecutor', () => {
  it("runs a job's tasks from its bundle, over local channels, to its committed output", async () => {
    const out = join(dir, 'out');
    const deployments = await deployPoisonJob({ count: '2000', out: `file:${out}` }, false);
    expect(deployments).toHaveLength(2);
    for (const d of deployments) await gateway.reachedState(d.executionId, 'FINISHED');
    expect(committedIds(out)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(gateway.bundleRequests).toEqual([JOB_ID]);
    const finished = gateway.taskStates.filter((r) => r.state === 'FINISHED');
    expect(finished.map((r) => [r.recordsIn, r.recordsOut])).toEqual([
      [2000, 2000],
      [2000, 2000],
    ]);
    expect(logs.filter((r) => r.level === 50)).toEqual([]);
  });

  it('checkpoints across its tasks: a source trigger aligns downstream, and completion commits exactly the records before the barrier', async () => {
    const out = join(dir, 'out');
    const [source, sink] = (await deployPoisonJob({ count: '1000000', rate: '2000', out: `file:${out}` }, true)) as [TaskDeployment, TaskDeployment];
    await gateway.reachedState(source.executionId, 'RUNNING');
    await gateway.reachedState(sink.executionId, 'RUNNING');
    const sourceTask = executor.allTasks.find((t) => t.deployment.executionId === source.executionId)!;
    await waitFor(() => sourceTask.metrics.recordsIn > 0, 'the source to read');
    executor.triggerCheckpoint(source.executionId, testBarrier(1));
    const sourceAck = await gateway.acknowledged(1, source.executionId);
    const sinkAck = await gateway.acknowledged(1, sink.executionId);
    expect(sinkAck.states.map((s) => s.operatorId)).toHaveLength(2);
    const splits = decodeOperatorState('source', sourceAck.states[0]!.operatorState).splits as DataGenSplit[];
    const beforeBarrier = splits.flatMap((split) => generated(split)).sort((a, b) => a - b);
    expect(beforeBarrier.length).toBeGreaterThan(0);

    executor.notifyCheckpoint(JOB_ID, 0, 1, true);
    await waitFor(() => readCommittedOutput(out).length >= beforeBarrier.length, 'the committed output of checkpoint 1');
    expect(committedIds(out)).toEqual(beforeBarrier);

    executor.cancel(source.executionId);
    executor.cancel(sink.executionId);
    await gateway.reachedState(source.executionId, 'CANCELED');
    await gateway.reachedState(sink.executionId, 'CANCELED');
  });

  it('reports a task that fails on a record as FAILED, naming the record', async () => {
    const [, sink] = (await deployPoisonJob({ count: '2000', poison: '500', out: `file:${join(dir, 'out')}` }, false)) as [TaskDeployment, TaskDeployment];
    const failed = await gateway.reachedState(sink.executionId, 'FAILED');
    expect(failed.failure).toBe('poison record 500');
  });
});
