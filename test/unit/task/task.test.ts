/**
 * A real Task (taskmanager/task/task.ts) in the task harness: records from a gate of test
 * channels or from a source go through its chain into a real result partition; watermarks,
 * idleness and end of input are combined and passed on; barriers align into checkpoints
 * acknowledged to a fake JobManager gateway; a final checkpoint ends a finishing task; a failing
 * record fails the task and closes what it opened. No sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOperatorState } from '../../../taskmanager/checkpoint/operator-state-codec.ts';
import { END_OF_INPUT, IDLE } from '../../../taskmanager/network/channel-message.ts';
import { ManualSourceReader } from '../../support/manual-source-reader.ts';
import { TaskHarness, type TaskHarnessOptions } from '../../support/task-harness.ts';
import { barrierEvent, recordBatch, testBarrier, timedBatch, watermarkEvent } from '../../support/test-input-channel.ts';

const MAX_WATERMARK = Number.POSITIVE_INFINITY;
let harness: TaskHarness | undefined;

/** Starts a harness and waits until its task runs. */
async function running(options: TaskHarnessOptions = {}): Promise<TaskHarness> {
  harness = new TaskHarness(options);
  await harness.whenState('RUNNING');
  return harness;
}

afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe('Task with a gate input', () => {
  it('pushes the records of every channel through its chain to its output, with their input and timestamps', async () => {
    const h = await running({ channels: 2, channelInputs: [0, 1] });
    h.channel(0).send(recordBatch('a1', 'a2'));
    h.channel(1).send(timedBatch(['b1', 7], ['b2', 9]));
    await h.until(() => h.output.values().length === 4, 'four records at the output');
    expect(h.operator.records).toEqual([
      { value: 'a1', timestamp: Number.NEGATIVE_INFINITY, input: 0 },
      { value: 'a2', timestamp: Number.NEGATIVE_INFINITY, input: 0 },
      { value: 'b1', timestamp: 7, input: 1 },
      { value: 'b2', timestamp: 9, input: 1 },
    ]);
    expect(h.output.received.filter((r) => 'record' in r)).toEqual([
      { record: 'a1', timestamp: Number.NEGATIVE_INFINITY },
      { record: 'a2', timestamp: Number.NEGATIVE_INFINITY },
      { record: 'b1', timestamp: 7 },
      { record: 'b2', timestamp: 9 },
    ]);
    expect(h.task.metrics.recordsIn).toBe(4);
    expect(h.task.metrics.recordsOut).toBe(4);
    // Each batch taken gives its channel one credit back.
    expect([h.channel(0).credits, h.channel(1).credits]).toEqual([1, 1]);
  });

  it('passes on the minimum watermark of its channels, never backwards', async () => {
    const h = await running({ channels: 2 });
    h.channel(0).send(watermarkEvent(10));
    h.channel(1).send(watermarkEvent(5));
    await h.until(() => h.operator.calls.includes('watermark:5'), 'the combined watermark 5');
    h.channel(1).send(watermarkEvent(20));
    h.channel(0).send(watermarkEvent(8));
    await h.until(() => h.operator.calls.includes('watermark:10'), 'the combined watermark 10');
    h.channel(0).send(watermarkEvent(30));
    await h.until(() => h.operator.calls.includes('watermark:20'), 'the combined watermark 20');
    expect(h.operator.calls.filter((c) => c.startsWith('watermark:'))).toEqual(['watermark:5', 'watermark:10', 'watermark:20']);
    expect(h.task.metrics.inputWatermark).toBe(20);
    await h.until(() => h.output.watermarks().at(-1) === 20, 'watermark 20 at the output');
    expect(h.output.watermarks()).toEqual([5, 10, 20]);
  });

  it('leaves an idle channel out of its watermark and announces idleness once every channel is idle', async () => {
    const h = await running({ channels: 2 });
    h.channel(0).send(watermarkEvent(10));
    h.channel(1).send(IDLE);
    await h.until(() => h.operator.calls.includes('watermark:10'), 'channel 0 alone to set the watermark');
    // Once both channels announced themselves, the task opens its own output with its status.
    expect(h.output.events()).toEqual(['ACTIVE']);
    h.channel(0).send(IDLE);
    await h.until(() => h.output.events().includes('IDLE'), 'the task to announce idleness');
    // Held records are emitted before consumers stop waiting for this task's watermark.
    expect(h.operator.calls.filter((c) => c === 'held')).toEqual(['held']);
    // A record makes its channel active again; a second idle period is announced again.
    h.channel(0).send(recordBatch('x'));
    h.channel(0).send(IDLE);
    await h.until(() => h.output.events().filter((e) => e === 'IDLE').length === 2, 'a second idle announcement');
    expect(h.output.values()).toEqual(['x']);
  });

  it('aligns barriers into a checkpoint: snapshots after the records before them, forwards the barrier and acknowledges', async () => {
    const h = await running({ channels: 2, checkpointing: true });
    h.channel(0).send(recordBatch('a1'));
    h.channel(0).send(barrierEvent(1));
    h.channel(0).send(recordBatch('a2'));
    h.channel(1).send(recordBatch('b1', 'b2'));
    await h.until(() => h.operator.values().length === 3, 'the records before the barrier');
    expect(h.operator.values()).toEqual(['a1', 'b1', 'b2']);
    expect(h.operator.calls).not.toContain('snapshot:1');

    h.channel(1).send(barrierEvent(1));
    const ack = await h.gateway.acknowledged(1);
    expect(ack).toMatchObject({ jobId: 'job-1', executionId: h.deployment.executionId, checkpointId: 1, sizeBytes: 0, incrementalBytes: 0 });
    expect(ack.states.map((s) => s.operatorId)).toEqual(['recorder']);
    expect(decodeOperatorState('recorder', ack.states[0]!.operatorState)).toEqual({ processed: [3] });
    await h.until(() => h.operator.values().length === 4, 'the record after the barrier');
    expect(h.output.values()).toEqual(['a1', 'b1', 'b2', 'a2']);
    expect(h.output.events()).toEqual(['ACTIVE', 'BARRIER:1']);

    h.task.notifyCheckpoint(1, true);
    await h.until(() => h.operator.calls.includes('complete:1'), 'the operator to be told checkpoint 1 completed');
  });

  it('declines a checkpoint whose alignment a newer barrier abandoned', async () => {
    const h = await running({ channels: 2, checkpointing: true });
    h.channel(0).send(barrierEvent(1));
    h.channel(1).send(barrierEvent(2));
    const decline = await h.gateway.declined(1);
    expect(decline.reason).toBe('a newer checkpoint barrier overtook it');
    h.channel(0).send(barrierEvent(2));
    await h.gateway.acknowledged(2);
    expect(h.operator.calls.filter((c) => c.startsWith('snapshot:'))).toEqual(['snapshot:2']);
  });

  it('ends FINISHED at the end of every channel: the end of time, finish, end of input downstream, close', async () => {
    const h = await running({ channels: 2 });
    h.channel(0).send(recordBatch('a'));
    h.channel(0).send(END_OF_INPUT);
    h.channel(1).send(END_OF_INPUT);
    await h.done;
    expect(h.states.map((s) => s.state)).toEqual(['INITIALIZING', 'RUNNING', 'FINISHED']);
    expect(h.operator.calls).toEqual(['open', `watermark:${MAX_WATERMARK}`, 'finish', 'close']);
    expect(h.output.values()).toEqual(['a']);
    expect(h.output.events()).toEqual(['ACTIVE', 'END_OF_INPUT']);
    expect(h.channels.every((c) => c.closed)).toBe(true);
    expect(h.logsAt(50)).toEqual([]);
  });

  it('waits in FINISHING for its final checkpoint when the job takes checkpoints, and ends once it completes', async () => {
    const h = await running({ channels: 1, checkpointing: true });
    h.channel(0).send(recordBatch('a'));
    h.channel(0).send(END_OF_INPUT);
    await h.whenState('FINISHING');
    expect(h.operator.calls).toContain('finish');

    h.task.triggerCheckpoint(testBarrier(3, { final: true }));
    const ack = await h.gateway.acknowledged(3);
    expect(decodeOperatorState('recorder', ack.states[0]!.operatorState)).toEqual({ processed: [1] });
    // The outputs have ended: no barrier follows end of input.
    expect(h.output.events()).toEqual(['ACTIVE', 'END_OF_INPUT']);
    // A notification of an earlier checkpoint does not end the task.
    h.task.notifyCheckpoint(2, true);
    await h.until(() => h.operator.calls.includes('complete:2'), 'checkpoint 2 to be committed');
    expect(h.states.at(-1)?.state).toBe('FINISHING');
    h.task.notifyCheckpoint(3, true);
    await h.done;
    expect(h.states.map((s) => s.state)).toEqual(['INITIALIZING', 'RUNNING', 'FINISHING', 'FINISHED']);
  });

  it('fails on a record its operator throws on, naming the cause, and still closes what it opened', async () => {
    const h = await running({ channels: 1 });
    h.operator.failOn = (value) => value === 'bad';
    h.channel(0).send(recordBatch('good', 'bad', 'after'));
    await h.done;
    expect(h.states.at(-1)).toEqual({ state: 'FAILED', failure: 'the recording operator was told to fail on "bad"' });
    expect(h.operator.values()).toEqual(['good']);
    expect(h.operator.calls).toEqual(['open', 'close']);
    expect(h.channel(0).closed).toBe(true);
    expect(h.output.failure).toBe(`task ${h.task.name} ended FAILED`);
    expect(h.logsAt(50).map((r) => r.msg)).toEqual(['task failed']);
  });

  it('fails when a channel fails, with the channel in the reason', async () => {
    const h = await running({ channels: 2 });
    h.channel(1).fail('connection reset');
    await h.done;
    expect(h.states.at(-1)).toEqual({ state: 'FAILED', failure: 'test channel 1: connection reset' });
  });

  it('ends CANCELED when cancelled while it waits for input', async () => {
    const h = await running({ channels: 1 });
    h.task.cancel();
    await h.done;
    expect(h.states.map((s) => s.state)).toEqual(['INITIALIZING', 'RUNNING', 'CANCELED']);
    expect(h.operator.calls).toEqual(['open', 'close']);
  });

  it('stops taking input while its output is full, and resumes when the consumer grants credit', async () => {
    const h = await running({ channels: 1, outputCredit: 0, maxQueuedBatches: 1 });
    // Batches of 4 records seal at once; the second one makes the subpartition full.
    h.channel(0).send(recordBatch(1, 2, 3, 4));
    h.channel(0).send(recordBatch(5, 6, 7, 8));
    h.channel(0).send(recordBatch(9));
    await h.until(() => !h.partition.available, 'the output to fill up');
    // Two turns of the task loop later, it still holds the rest of its input.
    await h.roundTrip();
    await h.roundTrip();
    expect(h.operator.values()).toEqual([1, 2, 3, 4]);
    expect(h.channel(0).hasData).toBe(true);
    h.output.grant(10);
    await h.until(() => h.operator.values().length === 9, 'the rest of the input');
    await h.until(() => h.output.values().length === 9, 'the rest at the output');
    expect(h.output.values()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.task.metrics.backPressuredMs).toBeGreaterThan(0);
  });
});

describe('Task with a source input', () => {
  it('polls its source through the same loop: records, watermarks through the event path, a triggered checkpoint, end of input', async () => {
    const reader = new ManualSourceReader();
    const h = await running({
      source: reader,
      checkpointing: true,
      watermarks: { timestampAssigner: (r) => (r as { t: number }).t, outOfOrdernessMs: 0, idlenessMs: undefined },
    });
    reader.push({ t: 10 }, { t: 20 });
    await h.until(() => h.operator.values().length === 2, 'two records');
    await h.until(() => h.task.metrics.inputWatermark === 19, 'the source watermark as the task input watermark');
    expect(h.operator.calls).toContain('watermark:19');

    h.task.triggerCheckpoint(testBarrier(1));
    const ack = await h.gateway.acknowledged(1);
    expect(ack.states.map((s) => s.operatorId)).toEqual(['source', 'recorder']);
    expect(decodeOperatorState('source', ack.states[0]!.operatorState)).toEqual({ splits: [{ id: 'manual', emitted: 2, eventTimeMax: 20 }] });
    await h.until(() => h.output.events().includes('BARRIER:1'), 'the barrier downstream');

    reader.push({ t: 30 });
    reader.end();
    await h.whenState('FINISHING');
    expect(h.operator.calls.slice(-2)).toEqual([`watermark:${MAX_WATERMARK}`, 'finish']);
    expect(h.task.metrics.recordsIn).toBe(3);
    h.task.triggerCheckpoint(testBarrier(2, { final: true }));
    await h.gateway.acknowledged(2);
    h.task.notifyCheckpoint(2, true);
    await h.done;
    expect(h.states.at(-1)?.state).toBe('FINISHED');
    expect(h.output.events()).toEqual(['ACTIVE', 'BARRIER:1', 'END_OF_INPUT']);
    expect(reader.closed).toBe(true);
  });
});
