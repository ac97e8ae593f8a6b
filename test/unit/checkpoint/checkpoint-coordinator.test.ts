/**
 * The JobManager's CheckpointCoordinator, driven directly with an in-memory CheckpointJob (tasks
 * on FakeTaskManagerGateways) and a temporary job root: which tasks get triggers (running sources,
 * finishing tasks), completion after every acknowledgement with `_metadata` grouped by operator
 * and notifications to every TaskManager, aborts (decline, timeout) and the tolerable-failure
 * budget, savepoints, retention of checkpoints and their shared files, `fullEvery`, the final
 * checkpoint of a finished job, direct triggers of finishing tasks, and `startAfterId`.
 * Real timers with intervals and timeouts of tens of ms; conditions are polled, never slept on.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { readMetadata } from '../../../common/checkpoint/checkpoint-storage.ts';
import type { KeyedStateFile, OperatorSubtaskState } from '../../../common/checkpoint/checkpoint-types.ts';
import type { OperatorSubtaskState__Output } from '../../../proto/generated/sluice/checkpoint/OperatorSubtaskState.ts';
import type { ExecutionState } from '../../../common/job-state.ts';
import type { CheckpointConfig } from '../../../jobmanager/checkpoint/checkpoint-config.ts';
import { CheckpointCoordinator, type CheckpointJob, type CheckpointOperator, type CheckpointTask } from '../../../jobmanager/checkpoint/checkpoint-coordinator.ts';
import type { CompletedCheckpoint } from '../../../jobmanager/checkpoint/pending-checkpoint.ts';
import type { CheckpointTrigger } from '../../../jobmanager/gateway/taskmanager-gateway.ts';
import { FakeTaskManagerGateway, waitFor } from '../../support/fakes/fake-taskmanager-gateway.ts';

const JOB_ID = '0123456789abcdef0123456789abcdef';
const silent = pino({ level: 'silent' });

interface TestTask {
  executionId: string;
  isSource: boolean;
  state: ExecutionState;
  gateway: FakeTaskManagerGateway | undefined;
  subtask: number;
  operatorIds: readonly string[];
}

/** A job of two TaskManagers: src-0 and map-0 on tm-a, src-1 and map-1 on tm-b. */
class TestJob implements CheckpointJob {
  readonly jobId = JOB_ID;
  readonly attempt = 0;
  readonly gatewayA = new FakeTaskManagerGateway('fake://tm-a');
  readonly gatewayB = new FakeTaskManagerGateway('fake://tm-b');
  readonly taskList: TestTask[] = [
    { executionId: 'src-0', isSource: true, state: 'RUNNING', gateway: this.gatewayA, subtask: 0, operatorIds: ['src-op'] },
    { executionId: 'src-1', isSource: true, state: 'RUNNING', gateway: this.gatewayB, subtask: 1, operatorIds: ['src-op'] },
    { executionId: 'map-0', isSource: false, state: 'RUNNING', gateway: this.gatewayA, subtask: 0, operatorIds: ['map-op', 'sink-op'] },
    { executionId: 'map-1', isSource: false, state: 'RUNNING', gateway: this.gatewayB, subtask: 1, operatorIds: ['map-op', 'sink-op'] },
  ];
  /** The map tasks run a chain of two operators. */
  readonly operatorList: CheckpointOperator[] = [
    { operatorId: 'src-op', parallelism: 2, maxParallelism: 128 },
    { operatorId: 'map-op', parallelism: 2, maxParallelism: 128 },
    { operatorId: 'sink-op', parallelism: 2, maxParallelism: 128 },
  ];
  readonly failures: string[] = [];
  readonly completed: CompletedCheckpoint[] = [];
  /** For each `onCompleted` call: how many notifications of that checkpoint the TaskManagers had got. */
  readonly notifiedBeforeCompleted: number[] = [];

  tasks(): readonly CheckpointTask[] {
    return this.taskList.map((t) => ({ ...t }));
  }

  operators(): readonly CheckpointOperator[] {
    return this.operatorList;
  }

  failJob(reason: string): void {
    this.failures.push(reason);
  }

  onCompleted(checkpoint: CompletedCheckpoint): void {
    this.completed.push(checkpoint);
    this.notifiedBeforeCompleted.push(this.gateways.flatMap((g) => g.notifications).filter((n) => n.checkpointId === checkpoint.checkpointId).length);
  }

  get gateways(): FakeTaskManagerGateway[] {
    return [this.gatewayA, this.gatewayB];
  }

  task(executionId: string): TestTask {
    const task = this.taskList.find((t) => t.executionId === executionId);
    if (!task) throw new Error(`no task ${executionId}`);
    return task;
  }

  /** Every trigger any gateway received, in gateway order. */
  triggers(checkpointId?: number): CheckpointTrigger[] {
    return this.gateways.flatMap((g) => g.triggers).filter((t) => checkpointId === undefined || t.barrier.checkpointId === checkpointId);
  }

  /** The executions that got a trigger of a checkpoint, sorted. */
  triggered(checkpointId: number): string[] {
    return this.triggers(checkpointId)
      .map((t) => t.executionId)
      .sort();
  }
}

const roots: string[] = [];
const coordinators: CheckpointCoordinator[] = [];

afterEach(() => {
  for (const c of coordinators.splice(0)) c.stop('test over');
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'sluice-coordinator-'));
  roots.push(root);
  return root;
}

function setup(overrides: Partial<CheckpointConfig> = {}, startAfterId = 0): { job: TestJob; coordinator: CheckpointCoordinator; root: string } {
  const root = tempRoot();
  const job = new TestJob();
  const config: CheckpointConfig = {
    intervalMs: 60_000,
    timeoutMs: 10_000,
    minPauseMs: 0,
    tolerableFailures: 10,
    retained: 3,
    fullEvery: 1,
    jobRoot: join(root, JOB_ID),
    defaultSavepointDir: join(root, 'savepoints'),
    savepointRoots: [join(root, 'savepoints')],
    ...overrides,
  };
  const coordinator = new CheckpointCoordinator(job, config, silent, startAfterId);
  coordinators.push(coordinator);
  return { job, coordinator, root: config.jobRoot };
}

/** What a task of the test job acknowledges: one state per operator it runs, with opaque entries. */
function statesOf(executionId: string, checkpointId: number, keyed?: KeyedStateFile[]): OperatorSubtaskState[] {
  const [vertex, subtask] = executionId.split('-') as [string, string];
  const index = Number(subtask);
  if (vertex === 'src') {
    return [
      {
        operatorId: 'src-op',
        subtask: index,
        keyed: keyed ? { keyGroupRange: index === 0 ? { start: 0, end: 63 } : { start: 64, end: 127 }, files: keyed } : null,
        operatorState: { offsets: { mode: 'SPLIT', entries: [Buffer.from(`offset-${index}@${checkpointId}`)] } },
      },
    ];
  }
  return [
    { operatorId: 'map-op', subtask: index, keyed: null, operatorState: {} },
    { operatorId: 'sink-op', subtask: index, keyed: null, operatorState: { transactions: { mode: 'UNION', entries: [Buffer.from(`txn-${index}@${checkpointId}`)] } } },
  ];
}

function ackAll(job: TestJob, coordinator: CheckpointCoordinator, checkpointId: number): void {
  for (const t of job.taskList) coordinator.acknowledge(t.executionId, checkpointId, statesOf(t.executionId, checkpointId), 10, 4);
}

/** Triggers a checkpoint by hand, acknowledges it from every task and waits for it to complete. */
async function completeOne(job: TestJob, coordinator: CheckpointCoordinator, keyed: Record<string, KeyedStateFile[]> = {}): Promise<CompletedCheckpoint> {
  const result = coordinator.trigger({});
  const id = coordinator.lastCheckpointId;
  for (const t of job.taskList) coordinator.acknowledge(t.executionId, id, statesOf(t.executionId, id, keyed[t.executionId]), 10, 4);
  return result;
}

/** A state file name as tasks write them: `<operator>-<first key group>-<checkpoint>-<kind>-<random>.kst`. */
function stateFileName(operator: string, keyGroup: number, checkpointId: number, kind: 'full' | 'delta'): string {
  return `${operator}-${keyGroup}-${checkpointId}-${kind}-${Math.random().toString(16).slice(2, 10)}.kst`;
}

function file(path: string, checkpointId: number, kind: 'full' | 'delta' = 'full'): KeyedStateFile {
  return { path, kind: kind === 'full' ? 'FULL' : 'DELTA', checkpointId, bytes: 1 };
}

describe('CheckpointCoordinator', () => {
  it('triggers periodically, only running sources and finishing tasks, and only when every task is running or finishing', async () => {
    const { job, coordinator } = setup({ intervalMs: 20 });
    job.task('map-0').state = 'DEPLOYING';
    await expect(coordinator.trigger({})).rejects.toThrow(/task map-0 is DEPLOYING, not running/);
    expect(job.triggers()).toEqual([]);
    expect(coordinator.lastCheckpointId).toBe(0);

    job.task('map-0').state = 'RUNNING';
    job.task('map-1').state = 'FINISHING';
    coordinator.start();
    await waitFor(() => job.triggers(1).length === 3, 'triggers of checkpoint 1');
    expect(job.triggered(1)).toEqual(['map-1', 'src-0', 'src-1']);
    expect(job.gatewayA.triggers.map((t) => t.executionId)).toEqual(['src-0']);
    for (const t of job.triggers(1)) {
      expect(t).toMatchObject({ jobId: JOB_ID, barrier: { checkpointId: 1, savepointRoot: '', full: true, final: false } });
    }
    expect(coordinator.counts).toEqual({ completed: 0, failed: 0, inProgress: 1 });

    // One periodic checkpoint at a time: a second trigger is refused while the first is pending.
    await expect(coordinator.trigger({})).rejects.toThrow(/another checkpoint is in progress/);

    ackAll(job, coordinator, 1);
    await waitFor(() => job.triggers(2).length === 3, 'the next periodic trigger');
    expect(job.triggered(2)).toEqual(['map-1', 'src-0', 'src-1']);
    expect(coordinator.counts.completed).toBe(1);
  });

  it('completes only once every task acknowledged, writes _metadata grouped by operator and notifies every TaskManager', async () => {
    const { job, coordinator, root } = setup();
    let settled = false;
    const result = coordinator.trigger({});
    void result.then(() => (settled = true));
    expect(coordinator.lastCheckpointId).toBe(1);

    // Out of subtask order, with a repeated acknowledgement that must not count twice.
    coordinator.acknowledge('map-1', 1, statesOf('map-1', 1), 100, 10);
    coordinator.acknowledge('src-1', 1, statesOf('src-1', 1), 20, 2);
    coordinator.acknowledge('src-1', 1, statesOf('src-1', 1), 20, 2);
    coordinator.acknowledge('src-0', 1, statesOf('src-0', 1), 30, 3);
    coordinator.acknowledge('src-0', 99, statesOf('src-0', 99), 30, 3);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    expect(coordinator.counts).toEqual({ completed: 0, failed: 0, inProgress: 1 });
    expect(existsSync(join(root, 'chk-1'))).toBe(false);
    expect(job.gateways.flatMap((g) => g.notifications)).toEqual([]);

    coordinator.acknowledge('map-0', 1, statesOf('map-0', 1), 40, 4);
    const completed = await result;
    expect(completed).toMatchObject({ checkpointId: 1, isSavepoint: false, directory: join(root, 'chk-1'), metadataFile: join(root, 'chk-1', '_metadata'), sizeBytes: 190, incrementalBytes: 19 });

    const { metadata, root: storageRoot } = await readMetadata(join(root, 'chk-1'));
    expect(storageRoot).toBe(root);
    expect(metadata).toMatchObject({ jobId: JOB_ID, checkpointId: 1, isSavepoint: false, root: '..', sizeBytes: 190, incrementalBytes: 19 });
    expect(metadata.completedAt).toBeGreaterThanOrEqual(metadata.triggeredAt);
    expect(metadata.operators).toEqual([
      { operatorId: 'src-op', parallelism: 2, maxParallelism: 128, subtasks: [...statesOf('src-0', 1), ...statesOf('src-1', 1)] },
      { operatorId: 'map-op', parallelism: 2, maxParallelism: 128, subtasks: [statesOf('map-0', 1)[0], statesOf('map-1', 1)[0]] },
      { operatorId: 'sink-op', parallelism: 2, maxParallelism: 128, subtasks: [statesOf('map-0', 1)[1], statesOf('map-1', 1)[1]] },
    ]);

    for (const g of job.gateways) expect(g.notifications).toEqual([{ jobId: JOB_ID, attempt: 0, checkpointId: 1, completed: true }]);
    expect(job.completed.map((c) => c.checkpointId)).toEqual([1]);
    // The job recorded the checkpoint before any TaskManager heard of it (sinks commit on the notification).
    expect(job.notifiedBeforeCompleted).toEqual([0]);
    expect(coordinator.latest?.checkpointId).toBe(1);
    expect(coordinator.store.checkpoints.map((c) => c.checkpointId)).toEqual([1]);
    expect(coordinator.counts).toEqual({ completed: 1, failed: 0, inProgress: 0 });
    expect(job.failures).toEqual([]);
  });

  it('aborts a declined checkpoint, tells the TaskManagers and triggers the next one; its files go once a later one completes', async () => {
    const { job, coordinator, root } = setup();
    const shared = join(root, 'shared');
    mkdirSync(shared, { recursive: true });
    const mine = stateFileName('src-op', 0, 1, 'full');
    const future = stateFileName('src-op', 0, 3, 'full');
    for (const name of [mine, future]) writeFileSync(join(shared, name), name);
    coordinator.start();
    const result = coordinator.trigger({});
    coordinator.acknowledge('src-0', 1, statesOf('src-0', 1, [file(`shared/${mine}`, 1)]), 10, 5);
    coordinator.decline('map-0', 1, 'disk full');
    await expect(result).rejects.toThrow(/checkpoint 1 failed: declined by map-0: disk full/);
    for (const g of job.gateways) expect(g.notifications).toEqual([{ jobId: JOB_ID, attempt: 0, checkpointId: 1, completed: false }]);
    expect(coordinator.counts).toMatchObject({ completed: 0, failed: 1 });

    // The interval is a minute: the next checkpoint comes from the abort, not from the schedule.
    await waitFor(() => job.triggers(2).length === 2, 'checkpoint 2 triggered after the abort');
    expect(job.triggered(2)).toEqual(['src-0', 'src-1']);
    expect(existsSync(join(root, 'chk-1'))).toBe(false);
    // A late acknowledgement of the aborted checkpoint changes nothing.
    ackAll(job, coordinator, 1);
    expect(coordinator.counts).toMatchObject({ completed: 0, inProgress: 1 });
    // The aborted checkpoint's file stays until a later checkpoint completes without it.
    expect(existsSync(join(shared, mine))).toBe(true);

    ackAll(job, coordinator, 2);
    await waitFor(() => job.completed.length === 1, 'checkpoint 2 completed');
    expect(readdirSync(shared)).toEqual([future]);
    expect(job.failures).toEqual([]);
  });

  /** src-0's acknowledgement of checkpoint 1 with its one state changed. */
  const hostile = (change: (state: OperatorSubtaskState) => unknown): OperatorSubtaskState__Output[] => [change(statesOf('src-0', 1)[0]!) as OperatorSubtaskState__Output];
  const keyedAt = (path: string, start = 0, end = 63) => ({ keyGroupRange: { start, end }, files: [file(path, 1)] });

  it.each([
    ['an operator the task does not run', hostile((s) => ({ ...s, operatorId: 'map-op' })), 'it holds state of operator "map-op", which the task does not run (its operators: src-op)'],
    ['an operator the job does not have', hostile((s) => ({ ...s, operatorId: 'evil-op' })), 'it holds state of operator "evil-op", which the task does not run'],
    ['another subtask', hostile((s) => ({ ...s, subtask: 1 })), 'operator "src-op": it claims subtask 1, not the task\'s 0'],
    ['a range beyond its key groups', hostile((s) => ({ ...s, keyed: keyedAt('shared/a.kst', 0, 64) })), 'operator "src-op": keyed state: key-group range [0, 64] is outside the key groups [0, 63]'],
    ['a range beyond the max parallelism', hostile((s) => ({ ...s, keyed: keyedAt('shared/a.kst', 0, 70_000) })), 'operator "src-op": keyed state: key-group range [0, 70000] is outside the key groups [0, 63]'],
    ['a handle without a range', hostile((s) => ({ ...s, keyed: { keyGroupRange: null, files: [file('shared/a.kst', 1)] } })), 'operator "src-op": keyed state: it has no key-group range'],
    ['a path outside the checkpoint root', hostile((s) => ({ ...s, keyed: keyedAt('shared/../../other-job/shared/x.kst') })), 'operator "src-op": keyed state: state file path "shared/../../other-job/shared/x.kst" is not inside its storage root'],
    ['an absolute path', hostile((s) => ({ ...s, keyed: keyedAt('/etc/passwd') })), 'operator "src-op": keyed state: state file path "/etc/passwd" is not inside its storage root'],
    ['a file of a later checkpoint', hostile((s) => ({ ...s, keyed: { keyGroupRange: { start: 0, end: 63 }, files: [file('shared/a.kst', 2)] } })), 'operator "src-op": keyed state: file shared/a.kst claims checkpoint 2, after checkpoint 1'],
    ['an unknown state mode', hostile((s) => ({ ...s, operatorState: { offsets: { mode: 7, entries: [] } } })), 'operator "src-op": operator state "offsets" has the unknown mode 7'],
    ['the same operator twice', [...statesOf('src-0', 1), ...statesOf('src-0', 1)], 'it holds the state of operator "src-op" twice'],
  ])('declines an acknowledgement with %s, naming the cause, without throwing', async (_what, states, cause) => {
    const { job, coordinator, root } = setup();
    const result = coordinator.trigger({});
    expect(() => coordinator.acknowledge('src-0', 1, states, 10, 4)).not.toThrow();
    await expect(result).rejects.toThrow(`checkpoint 1 failed: the acknowledgement of src-0 is invalid: ${cause}`);
    expect(coordinator.counts).toEqual({ completed: 0, failed: 1, inProgress: 0 });
    for (const g of job.gateways) expect(g.notifications).toEqual([{ jobId: JOB_ID, attempt: 0, checkpointId: 1, completed: false }]);
    expect(existsSync(join(root, 'chk-1'))).toBe(false);
    expect(job.failures).toEqual([]);
  });

  it('declines an acknowledgement with a size that is not a byte count', async () => {
    const { coordinator } = setup();
    const result = coordinator.trigger({});
    coordinator.acknowledge('src-0', 1, statesOf('src-0', 1), Number.NaN, 4);
    await expect(result).rejects.toThrow('the acknowledgement of src-0 is invalid: its size NaN is not a byte count');
  });

  it('completes the next checkpoint after a declined hostile acknowledgement, with only the valid states', async () => {
    const { job, coordinator, root } = setup();
    const first = coordinator.trigger({});
    coordinator.acknowledge('src-1', 1, hostile((s) => ({ ...s, operatorId: 'evil-op' })), 10, 4);
    await expect(first).rejects.toThrow(/the acknowledgement of src-1 is invalid/);
    // A late acknowledgement of the declined checkpoint changes nothing.
    coordinator.acknowledge('src-0', 1, statesOf('src-0', 1), 10, 4);
    const second = await completeOne(job, coordinator);
    expect(second.checkpointId).toBe(2);
    const { metadata } = await readMetadata(join(root, 'chk-2'));
    expect(metadata.operators.map((o) => o.operatorId)).toEqual(['src-op', 'map-op', 'sink-op']);
    expect(metadata.operators[0]!.subtasks).toEqual([...statesOf('src-0', 2), ...statesOf('src-1', 2)]);
  });

  it('aborts a checkpoint that times out', async () => {
    const { job, coordinator } = setup({ timeoutMs: 30 });
    const result = coordinator.trigger({});
    coordinator.acknowledge('src-0', 1, statesOf('src-0', 1), 1, 1);
    await expect(result).rejects.toThrow(/checkpoint 1 failed: timed out after 30 ms/);
    for (const g of job.gateways) expect(g.notifications).toEqual([{ jobId: JOB_ID, attempt: 0, checkpointId: 1, completed: false }]);
    expect(coordinator.counts).toEqual({ completed: 0, failed: 1, inProgress: 0 });
    expect(coordinator.latest).toBeUndefined();
  });

  it('fails the job on the first failed checkpoint when no failure is tolerable', async () => {
    const { job, coordinator } = setup({ tolerableFailures: 0 });
    coordinator.start();
    void coordinator.trigger({}).catch(() => undefined);
    coordinator.decline('src-0', 1, 'disk full');
    expect(job.failures).toHaveLength(1);
    expect(job.failures[0]).toMatch(/^1 checkpoint failed in a row \(tolerable: 0\); the last: declined by src-0: disk full$/);
  });

  it('fails the job after more consecutive failures than tolerable; a completed checkpoint resets the count', async () => {
    const { job, coordinator } = setup({ tolerableFailures: 1 });
    coordinator.start();
    void coordinator.trigger({});
    coordinator.decline('src-0', 1, 'first');
    expect(job.failures).toEqual([]);
    await waitFor(() => job.triggers(2).length > 0, 'checkpoint 2');
    ackAll(job, coordinator, 2);
    // Wait for the notification: the coordinator schedules its next checkpoint right after it.
    await waitFor(() => job.gatewayA.notifications.some((n) => n.checkpointId === 2 && n.completed), 'checkpoint 2 completed');

    void coordinator.trigger({});
    expect(coordinator.lastCheckpointId).toBe(3);
    coordinator.decline('src-1', 3, 'second');
    expect(job.failures).toEqual([]);
    await waitFor(() => job.triggers(4).length > 0, 'checkpoint 4');
    coordinator.decline('map-1', 4, 'third');
    expect(job.failures).toHaveLength(1);
    expect(job.failures[0]).toMatch(/^2 checkpoints failed in a row \(tolerable: 1\); the last: declined by map-1: third$/);
    expect(coordinator.counts).toMatchObject({ completed: 1, failed: 3 });
  });

  it('writes a savepoint into its own directory, beside a periodic checkpoint, outside retention and the full/delta count', async () => {
    const { job, coordinator, root } = setup({ retained: 1, fullEvery: 2 });
    const savepointDir = join(tempRoot(), 'savepoints');
    const takeSavepoint = async (): Promise<CompletedCheckpoint> => {
      const result = coordinator.trigger({ savepointDir });
      ackAll(job, coordinator, coordinator.lastCheckpointId);
      return result;
    };

    const first = await completeOne(job, coordinator);
    expect(job.triggers(1)[0]?.barrier.full).toBe(true);

    const savepoint = await takeSavepoint();
    expect(savepoint.checkpointId).toBe(2);
    const spTriggers = job.triggers(2);
    expect(spTriggers.map((t) => t.executionId).sort()).toEqual(['src-0', 'src-1']);
    const savepointRoot = spTriggers[0]!.barrier.savepointRoot;
    expect(savepointRoot.startsWith(join(savepointDir, `savepoint-${JOB_ID.slice(0, 8)}-2-`))).toBe(true);
    expect(spTriggers.every((t) => t.barrier.savepointRoot === savepointRoot && t.barrier.full && !t.barrier.final)).toBe(true);
    expect(savepoint).toMatchObject({ isSavepoint: true, directory: savepointRoot, metadataFile: join(savepointRoot, '_metadata') });
    const read = await readMetadata(savepoint.directory);
    expect(read.metadata).toMatchObject({ isSavepoint: true, root: '.', checkpointId: 2 });
    expect(read.root).toBe(savepointRoot);
    expect(read.metadata.operators.map((o) => o.subtasks.length)).toEqual([2, 2, 2]);
    for (const g of job.gateways) expect(g.notifications.at(-1)).toEqual({ jobId: JOB_ID, attempt: 0, checkpointId: 2, completed: true });
    // The savepoint is the newest completed state, so the job records it (JobManager HA resumes from it).
    expect(job.completed.map((c) => c.checkpointId)).toEqual([1, 2]);
    expect(coordinator.store.checkpoints.map((c) => c.checkpointId)).toEqual([1]);
    expect(coordinator.latest?.checkpointId).toBe(2);

    // The savepoint did not count as a periodic checkpoint: 3 is the delta after the full 1.
    const periodic = coordinator.trigger({});
    expect(job.triggers(3)[0]?.barrier.full).toBe(false);
    // A savepoint may run beside the pending periodic checkpoint; it did not reset the count either.
    const second = await takeSavepoint();
    expect(second.checkpointId).toBe(4);
    expect(coordinator.counts.inProgress).toBe(1);
    ackAll(job, coordinator, 3);
    await periodic;
    const fifth = coordinator.trigger({});
    expect(job.triggers(5)[0]?.barrier.full).toBe(true);
    ackAll(job, coordinator, 5);
    await fifth;
    expect(coordinator.store.checkpoints.map((c) => c.checkpointId)).toEqual([5]);
    // Recorded as the newest: 1, savepoint 2, savepoint 4 and 5; checkpoint 3 completed after savepoint 4.
    expect(job.completed.map((c) => c.checkpointId)).toEqual([1, 2, 4, 5]);

    // Retention deleted checkpoints 1 and 3, never the savepoints.
    expect(existsSync(first.directory)).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['chk-5']);
    expect(existsSync(savepoint.metadataFile)).toBe(true);
    expect(existsSync(second.metadataFile)).toBe(true);
    expect(readdirSync(savepointDir)).toHaveLength(2);
  });

  it('keeps the savepoint as the latest when it completes before an older periodic checkpoint', async () => {
    // Sinks commit on the savepoint's notification everything up to its id; restoring from the
    // older periodic checkpoint after that would replay (and duplicate) committed output.
    const { job, coordinator } = setup();
    const savepointDir = join(tempRoot(), 'savepoints');
    const periodic = coordinator.trigger({});
    const savepointResult = coordinator.trigger({ savepointDir });
    ackAll(job, coordinator, 2);
    const savepoint = await savepointResult;
    expect(coordinator.latest?.checkpointId).toBe(2);
    ackAll(job, coordinator, 1);
    await periodic;
    // Checkpoint 1 completed after the newer savepoint: it is kept, but not recorded as the latest.
    expect(job.completed.map((c) => c.checkpointId)).toEqual([2]);
    expect(coordinator.store.checkpoints.map((c) => c.checkpointId)).toEqual([1]);
    expect(coordinator.latest).toBe(savepoint);
  });

  it('keeps the newest N checkpoints and deletes older directories with the shared files no kept one references', async () => {
    const { job, coordinator, root } = setup({ retained: 2 });
    const shared = join(root, 'shared');
    mkdirSync(shared, { recursive: true });
    // s<subtask>-<kind>-<checkpoint that wrote it>
    const names = ['s0-full-1', 's0-delta-2', 's0-full-3', 's0-delta-4', 's1-full-1', 's1-delta-2', 's1-delta-3', 's1-full-4'];
    const fileName = new Map(names.map((n) => {
      const [s, kind, id] = n.split('-') as [string, 'full' | 'delta', string];
      return [n, stateFileName('src-op', s === 's0' ? 0 : 64, Number(id), kind)];
    }));
    const orphan = stateFileName('src-op', 0, 2, 'delta');
    const inFlight = stateFileName('src-op', 0, 9, 'delta');
    for (const name of [...fileName.values(), orphan, inFlight, 'not-a-state-file.txt']) writeFileSync(join(shared, name), name);
    const f = (n: string): KeyedStateFile => {
      const [, kind, id] = n.split('-') as [string, 'full' | 'delta', string];
      return file(`shared/${fileName.get(n)!}`, Number(id), kind);
    };
    const present = (): string[] => readdirSync(shared).sort();
    const all = present();
    expect(all).toHaveLength(11);

    await completeOne(job, coordinator, { 'src-0': [f('s0-full-1')], 'src-1': [f('s1-full-1')] });
    // Files of later checkpoints may be in flight: they stay.
    expect(present()).toEqual(all);
    await completeOne(job, coordinator, { 'src-0': [f('s0-full-1'), f('s0-delta-2')], 'src-1': [f('s1-full-1'), f('s1-delta-2')] });
    // A file written by checkpoint 2 that no checkpoint references (an abandoned upload) goes.
    expect(present()).toEqual(all.filter((n) => n !== orphan));
    await completeOne(job, coordinator, { 'src-0': [f('s0-full-3')], 'src-1': [f('s1-full-1'), f('s1-delta-2'), f('s1-delta-3')] });
    expect(coordinator.store.checkpoints.map((c) => c.checkpointId)).toEqual([2, 3]);
    expect(existsSync(join(root, 'chk-1'))).toBe(false);
    // Every file of checkpoint 1 is still referenced by 2 or 3.
    expect(present()).toEqual(all.filter((n) => n !== orphan));

    await completeOne(job, coordinator, { 'src-0': [f('s0-full-3'), f('s0-delta-4')], 'src-1': [f('s1-full-4')] });
    expect(coordinator.store.checkpoints.map((c) => c.checkpointId)).toEqual([3, 4]);
    expect(readdirSync(root).filter((n) => n.startsWith('chk-')).sort()).toEqual(['chk-3', 'chk-4']);
    const gone = new Set([orphan, fileName.get('s0-full-1'), fileName.get('s0-delta-2')]);
    expect(present()).toEqual(all.filter((n) => !gone.has(n)));
    expect(present()).toContain(inFlight);
    expect(present()).toContain('not-a-state-file.txt');
    expect((await readMetadata(join(root, 'chk-3'))).metadata.checkpointId).toBe(3);
  });

  it('makes every Nth checkpoint full (fullEvery)', async () => {
    const { job, coordinator } = setup({ fullEvery: 3 });
    for (let i = 0; i < 7; i++) await completeOne(job, coordinator);
    const fullById = [1, 2, 3, 4, 5, 6, 7].map((id) => {
      const flags = new Set(job.triggers(id).map((t) => t.barrier.full));
      expect(flags.size).toBe(1);
      return [...flags][0];
    });
    expect(fullById).toEqual([true, false, false, true, false, false, true]);
  });

  it('takes a final checkpoint, triggered to every task, once every task is FINISHING', async () => {
    const { job, coordinator } = setup();
    coordinator.start();
    for (const id of ['src-0', 'src-1', 'map-0']) {
      job.task(id).state = 'FINISHING';
      coordinator.onTaskFinishing(id);
    }
    coordinator.onTaskFinishing('no-such-task');
    expect(job.triggers()).toEqual([]);
    expect(coordinator.counts.inProgress).toBe(0);

    job.task('map-1').state = 'FINISHING';
    coordinator.onTaskFinishing('map-1');
    expect(job.triggered(1)).toEqual(['map-0', 'map-1', 'src-0', 'src-1']);
    for (const t of job.triggers(1)) expect(t).toMatchObject({ barrier: { checkpointId: 1, final: true, savepointRoot: '' } });
    ackAll(job, coordinator, 1);
    await waitFor(() => job.gateways.every((g) => g.notifications.length > 0), 'final checkpoint completed');
    expect(coordinator.counts.completed).toBe(1);
    for (const g of job.gateways) expect(g.notifications).toEqual([{ jobId: JOB_ID, attempt: 0, checkpointId: 1, completed: true }]);

    // Nothing more is triggered once the final checkpoint completed.
    coordinator.onTaskFinishing('map-1');
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    expect(job.triggers()).toHaveLength(4);
  });

  it('takes the final checkpoint after a pending one that finishing tasks got directly', async () => {
    const { job, coordinator } = setup();
    coordinator.start();
    void coordinator.trigger({});
    expect(job.triggered(1)).toEqual(['src-0', 'src-1']);
    coordinator.acknowledge('map-0', 1, statesOf('map-0', 1), 1, 1);

    // map-1 has not acknowledged: barriers cannot reach it any more, so it gets the trigger.
    job.task('map-1').state = 'FINISHING';
    coordinator.onTaskFinishing('map-1');
    expect(job.triggered(1)).toEqual(['map-1', 'src-0', 'src-1']);
    expect(job.gatewayB.triggers.at(-1)).toMatchObject({ executionId: 'map-1', barrier: { checkpointId: 1, final: false } });
    // src-0 was triggered already and map-0 acknowledged: neither gets another trigger.
    for (const id of ['src-0', 'src-1', 'map-0']) {
      job.task(id).state = 'FINISHING';
      coordinator.onTaskFinishing(id);
    }
    expect(job.triggers()).toHaveLength(3);
    expect(coordinator.counts.inProgress).toBe(1);

    for (const id of ['src-0', 'src-1', 'map-1']) coordinator.acknowledge(id, 1, statesOf(id, 1), 1, 1);
    await waitFor(() => job.triggers(2).length === 4, 'final checkpoint 2 triggered to every task');
    expect(job.triggers(2).every((t) => t.barrier.final)).toBe(true);
  });

  it('continues checkpoint ids after startAfterId', async () => {
    const { job, coordinator, root } = setup({}, 41);
    expect(coordinator.lastCheckpointId).toBe(41);
    const completed = await completeOne(job, coordinator);
    expect(completed.checkpointId).toBe(42);
    expect(job.triggers().every((t) => t.barrier.checkpointId === 42)).toBe(true);
    expect((await readMetadata(join(root, 'chk-42'))).metadata.checkpointId).toBe(42);
  });
});
