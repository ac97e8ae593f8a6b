/**
 * The checkpoints of one task (taskmanager/checkpoint/subtask-checkpointer.ts) over a recording
 * operator and a keyed operator with real LevelDB state: the barrier goes downstream before the
 * snapshot (and not after end of input), each operator's state is acknowledged, with keyed state
 * files written under the checkpoint root or a savepoint's own directory; a checkpoint is taken
 * once; a failing snapshot declines and fails, a failing write declines; completion commits and
 * ends a finishing task only from its final checkpoint on. No sockets.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValueStateDescriptor } from '../../../client/runtime.ts';
import { keyGroupRangeForOperator } from '../../../common/key-groups.ts';
import type { TaskDeployment } from '../../../common/rpc/index.ts';
import { decodeOperatorState } from '../../../taskmanager/checkpoint/operator-state-codec.ts';
import { SubtaskCheckpointer, type CheckpointedOperator } from '../../../taskmanager/checkpoint/subtask-checkpointer.ts';
import { ResultPartition } from '../../../taskmanager/network/result-partition.ts';
import { checkpointResponder } from '../../../taskmanager/task-executor.ts';
import { FakeJobManagerGateway } from '../../support/fakes/fake-jobmanager-gateway.ts';
import { CollectingOutput } from '../../support/operator-harness.ts';
import { RecordingOperator } from '../../support/recording-operator.ts';
import { SubpartitionRecorder } from '../../support/subpartition-recorder.ts';
import { openTestKeyedState, type TestKeyedState } from '../../support/test-keyed-state.ts';
import { testBarrier } from '../../support/test-input-channel.ts';

const log = pino({ level: 'silent' });
const deployment = { jobId: 'job-1', executionId: 'job-1_v_0_0' } as TaskDeployment;

interface Setup {
  readonly checkpointer: SubtaskCheckpointer;
  readonly gateway: FakeJobManagerGateway;
  readonly head: RecordingOperator;
  readonly keyedOperator: RecordingOperator;
  readonly downstream: SubpartitionRecorder;
}

let root: string;
let state: TestKeyedState | undefined;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sluice-checkpointer-'));
});

afterEach(async () => {
  await state?.dispose();
  state = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** A chain of two operators, the second one keyed with one key written, and one downstream consumer. */
async function setup(checkpointRoot = root): Promise<Setup> {
  state = await openTestKeyedState({ maxParallelism: 128, keyGroupRange: keyGroupRangeForOperator(128, 1, 0), operatorId: 'keyed' });
  state.backend.setCurrentKey('k');
  state.backend.getState(new ValueStateDescriptor<number>('count')).update(42);
  const head = new RecordingOperator(new CollectingOutput());
  const keyedOperator = new RecordingOperator(new CollectingOutput());
  const operators: CheckpointedOperator[] = [
    { operatorId: 'head', operator: head, backend: undefined },
    { operatorId: 'keyed', operator: keyedOperator, backend: state.backend },
  ];
  const partition = new ResultPartition('job-1/job-1_v_0_0/out', 1, { initialBatchRecords: 4, targetBatchBytes: 1 << 20, maxQueuedBatches: 10, bufferTimeoutMs: 1 });
  const downstream = new SubpartitionRecorder(partition.subpartitions[0]!, 100);
  const gateway = new FakeJobManagerGateway();
  const checkpointer = new SubtaskCheckpointer(operators, [partition], 0, checkpointRoot, [join(root, 'savepoints')], checkpointResponder(() => gateway, deployment), log);
  return { checkpointer, gateway, head, keyedOperator, downstream };
}

describe('SubtaskCheckpointer', () => {
  it('forwards the barrier, snapshots every operator and acknowledges their states with the keyed files it wrote', async () => {
    const { checkpointer, gateway, head, downstream } = await setup();
    head.records.push({ value: 'x', timestamp: 0, input: 0 });
    await checkpointer.checkpoint(testBarrier(1));
    // The barrier went downstream before the synchronous phase returned.
    expect(downstream.events()).toEqual(['BARRIER:1']);
    expect(head.calls).toEqual(['snapshot:1']);

    const ack = await gateway.acknowledged(1);
    expect(ack).toMatchObject({ jobId: 'job-1', executionId: 'job-1_v_0_0', checkpointId: 1 });
    expect(ack.states.map((s) => [s.operatorId, s.subtask])).toEqual([
      ['head', 0],
      ['keyed', 0],
    ]);
    expect(decodeOperatorState('head', ack.states[0]!.operatorState)).toEqual({ processed: [1] });
    expect(ack.states[0]!.keyed).toBeNull();
    const files = ack.states[1]!.keyed!.files;
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ kind: 'FULL', checkpointId: 1 });
    expect(existsSync(join(root, files[0]!.path))).toBe(true);
    expect(files[0]!.path.startsWith('shared/')).toBe(true);
    expect(ack.sizeBytes).toBe(files[0]!.bytes);
    expect(ack.incrementalBytes).toBe(files[0]!.bytes);
    expect(gateway.declines).toEqual([]);
  });

  it('writes a savepoint into the savepoint directory, self-contained', async () => {
    const savepoint = join(root, 'savepoints', 'savepoint-1');
    const { checkpointer, gateway } = await setup();
    await checkpointer.checkpoint(testBarrier(2, { savepointRoot: savepoint }));
    const ack = await gateway.acknowledged(2);
    const file = ack.states[1]!.keyed!.files[0]!;
    expect(file.kind).toBe('FULL');
    expect(file.path.startsWith('state/')).toBe(true);
    expect(existsSync(join(savepoint, file.path))).toBe(true);
  });

  it('declines a savepoint barrier naming a directory outside the savepoint roots, forwards nothing and writes nothing', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'sluice-outside-'));
    try {
      const { checkpointer, gateway, head, downstream } = await setup();
      for (const target of [outside, join(root, 'savepoints', '..', '..', 'escape')]) {
        gateway.declines.length = 0;
        const id = target === outside ? 4 : 5;
        await checkpointer.checkpoint(testBarrier(id, { savepointRoot: target }));
        const decline = await gateway.declined(id);
        expect(decline.reason).toContain('is outside the savepoint roots');
      }
      expect(head.calls).toEqual([]);
      expect(downstream.events()).toEqual([]);
      expect(gateway.acks).toEqual([]);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('takes a checkpoint once: a trigger racing its barrier, or an older barrier, is not taken again', async () => {
    const { checkpointer, gateway, head, downstream } = await setup();
    await checkpointer.checkpoint(testBarrier(3));
    await checkpointer.checkpoint(testBarrier(3));
    await checkpointer.checkpoint(testBarrier(2));
    await gateway.acknowledged(3);
    expect(head.calls).toEqual(['snapshot:3']);
    expect(downstream.events()).toEqual(['BARRIER:3']);
    await checkpointer.checkpoint(testBarrier(4));
    await gateway.acknowledged(4);
    expect(gateway.acks.map((a) => a.checkpointId)).toEqual([3, 4]);
  });

  it('forwards no barrier once the outputs have ended, and still acknowledges', async () => {
    const { checkpointer, gateway, downstream } = await setup();
    checkpointer.markOutputsFinished();
    await checkpointer.checkpoint(testBarrier(1, { final: true }));
    await gateway.acknowledged(1);
    expect(downstream.events()).toEqual([]);
  });

  it('declines and fails when an operator cannot snapshot, naming the checkpoint and the cause', async () => {
    const { checkpointer, gateway, head } = await setup();
    head.snapshotState = () => {
      throw new Error('disk on fire');
    };
    await expect(checkpointer.checkpoint(testBarrier(5))).rejects.toThrow('checkpoint 5: snapshot failed: disk on fire');
    const decline = await gateway.declined(5);
    expect(decline).toMatchObject({ jobId: 'job-1', executionId: 'job-1_v_0_0', reason: 'snapshot failed: disk on fire' });
    expect(gateway.acks).toEqual([]);
  });

  it('declines without failing when the keyed state cannot be written', async () => {
    const notADirectory = join(root, 'file');
    writeFileSync(notADirectory, 'x');
    const { checkpointer, gateway } = await setup(notADirectory);
    await checkpointer.checkpoint(testBarrier(6));
    const decline = await gateway.declined(6);
    expect(decline.reason).toMatch(/^writing state failed: .*file/);
    expect(gateway.acks).toEqual([]);
  });

  it('commits on completion, and counts a final checkpoint committed only once one at or after it completes', async () => {
    const { checkpointer, gateway, head, keyedOperator } = await setup();
    await checkpointer.checkpoint(testBarrier(1));
    await checkpointer.checkpoint(testBarrier(2, { final: true }));
    await gateway.acknowledged(2);
    await checkpointer.notify(1, true);
    expect(head.calls).toEqual(['snapshot:1', 'snapshot:2', 'complete:1']);
    expect(keyedOperator.calls).toContain('complete:1');
    expect(checkpointer.finalCheckpointCommitted).toBe(false);
    await checkpointer.notify(2, false);
    expect(head.calls).not.toContain('complete:2');
    expect(checkpointer.finalCheckpointCommitted).toBe(false);
    await checkpointer.notify(3, true);
    expect(head.calls.at(-1)).toBe('complete:3');
    expect(checkpointer.finalCheckpointCommitted).toBe(true);
  });
});
