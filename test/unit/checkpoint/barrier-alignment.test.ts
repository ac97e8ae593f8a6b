/**
 * Checkpoint barrier alignment as a task runs it: the real GateInput (taskmanager/task/gate-input.ts)
 * over a real InputGate and BarrierAligner, fed by test channels, with the head operator and the
 * task's event path recorded. A barrier blocks its channel while the others' data still flows,
 * alignment completes with the last barrier and releases the blocked data; an ended channel counts
 * as aligned (also when it ends mid-alignment); a newer barrier abandons the older alignment; a
 * stale barrier is ignored.
 */
import { describe, expect, it } from 'vitest';
import type { CheckpointBarrier } from '../../../common/rpc/index.ts';
import { END_OF_INPUT } from '../../../taskmanager/network/channel-message.ts';
import { InputGate } from '../../../taskmanager/network/input-gate.ts';
import { GateInput } from '../../../taskmanager/task/gate-input.ts';
import type { InputEvents, InputStatus } from '../../../taskmanager/task/task-input.ts';
import { TaskMetrics } from '../../../taskmanager/task/task-metrics.ts';
import { ACTIVE } from '../../../taskmanager/task/watermark-valve.ts';
import { barrierEvent, recordBatch, testBarrier, TestInputChannel } from '../../support/test-input-channel.ts';

/** The task's event path, recorded: aligned barriers join the log of records. */
class RecordingEvents implements InputEvents {
  readonly aligned: CheckpointBarrier[] = [];
  readonly abandonedIds: number[] = [];
  readonly reasons: string[] = [];

  constructor(private readonly log: string[]) {}

  announce(): void {}

  watermark(): void {}

  idleness(): void {}

  async barrier(barrier: CheckpointBarrier): Promise<void> {
    this.log.push(`aligned:${barrier.checkpointId}`);
    this.aligned.push(barrier);
  }

  abandoned(checkpointId: number, reason: string): void {
    this.abandonedIds.push(checkpointId);
    this.reasons.push(reason);
  }
}

/** A gate input over `channels` test channels; the head operator logs each record's value. */
function setup(channels = 2): { input: GateInput; ch: TestInputChannel[]; events: RecordingEvents; drain: () => Promise<string[]> } {
  const gate = new InputGate();
  const ch = Array.from({ length: channels }, () => new TestInputChannel(gate));
  const log: string[] = [];
  const head = { processElement: (record: unknown) => void log.push(String(record)) };
  const input = new GateInput(gate, head, new TaskMetrics());
  const events = new RecordingEvents(log);
  input.start(events);
  // Every producer opens its channels with its status before anything else.
  for (const c of ch) c.send(ACTIVE);
  /** Runs the input as the task loop does until it has nothing more; returns what it logged since the last drain. */
  const drain = async (): Promise<string[]> => {
    let status: InputStatus;
    do status = await input.emitNext();
    while (status === 'MORE_AVAILABLE');
    return log.splice(0);
  };
  return { input, ch, events, drain };
}

describe('barrier alignment in the gate input', () => {
  it('blocks a channel at its barrier while the other still flows, and completes with the last barrier', async () => {
    const { ch, events, drain } = setup();
    const [a, b] = ch as [TestInputChannel, TestInputChannel];
    expect(a.started && b.started).toBe(true);
    a.send(recordBatch('a1'));
    a.send(barrierEvent(1));
    a.send(recordBatch('a2'));
    b.send(recordBatch('b1'));
    expect(await drain()).toEqual(['a1', 'b1']);

    // More data on the unblocked channel flows; the blocked one still holds a2 (and its credit).
    a.send(recordBatch('a3'));
    b.send(recordBatch('b2'));
    expect(await drain()).toEqual(['b2']);
    expect(a.hasData).toBe(true);
    const creditsBefore = a.credits;

    b.send(barrierEvent(1));
    b.send(recordBatch('b3'));
    const rest = await drain();
    expect(rest[0]).toBe('aligned:1');
    expect(rest.slice(1).sort()).toEqual(['a2', 'a3', 'b3']);
    expect(rest.indexOf('a2')).toBeLessThan(rest.indexOf('a3'));
    expect(events.aligned).toEqual([testBarrier(1)]);
    expect(a.credits).toBe(creditsBefore + 2);
  });

  it('completes alignment at once when the other channel has already ended', async () => {
    const { ch, drain } = setup();
    const [a, b] = ch as [TestInputChannel, TestInputChannel];
    b.send(recordBatch('b1'));
    b.send(END_OF_INPUT);
    expect(await drain()).toEqual(['b1']);
    expect(b.finished).toBe(true);

    a.send(barrierEvent(4));
    a.send(recordBatch('a1'));
    expect(await drain()).toEqual(['aligned:4', 'a1']);
  });

  it('completes alignment when the last channel still missing ends during it', async () => {
    const { ch, drain } = setup(3);
    const [a, b, c] = ch as [TestInputChannel, TestInputChannel, TestInputChannel];
    a.send(barrierEvent(2));
    a.send(recordBatch('a1'));
    b.send(barrierEvent(2));
    expect(await drain()).toEqual([]);

    c.send(recordBatch('c1'));
    c.send(END_OF_INPUT);
    expect(await drain()).toEqual(['c1', 'aligned:2', 'a1']);
  });

  it('abandons an alignment when a newer barrier arrives, then aligns the newer one', async () => {
    const { ch, events, drain } = setup();
    const [a, b] = ch as [TestInputChannel, TestInputChannel];
    a.send(barrierEvent(1));
    a.send(recordBatch('a1'));
    a.send(barrierEvent(2));
    expect(await drain()).toEqual([]);
    expect(events.abandonedIds).toEqual([]);

    // Channel b skipped checkpoint 1 (say, its source declined it) and brings barrier 2.
    b.send(barrierEvent(2));
    // The abandoned alignment released channel a: its data and barrier 2 now arrive.
    expect(await drain()).toEqual(['a1', 'aligned:2']);
    expect(events.abandonedIds).toEqual([1]);
    expect(events.reasons).toEqual(['a newer checkpoint barrier overtook it']);
    expect(events.aligned.map((x) => x.checkpointId)).toEqual([2]);
  });

  it('ignores a stale barrier of an older checkpoint, without blocking its channel', async () => {
    const { ch, events, drain } = setup();
    const [a, b] = ch as [TestInputChannel, TestInputChannel];
    a.send(barrierEvent(3));
    b.send(barrierEvent(3));
    expect(await drain()).toEqual(['aligned:3']);

    // After alignment: barrier 2 is stale, and b's records keep flowing.
    b.send(barrierEvent(2));
    b.send(recordBatch('b1'));
    expect(await drain()).toEqual(['b1']);

    // During an alignment of 5: a stale barrier 4 neither blocks its channel nor disturbs it.
    a.send(barrierEvent(5));
    a.send(recordBatch('a1'));
    b.send(barrierEvent(4));
    b.send(recordBatch('b2'));
    expect(await drain()).toEqual(['b2']);
    b.send(barrierEvent(5));
    expect(await drain()).toEqual(['aligned:5', 'a1']);
    expect(events.abandonedIds).toEqual([]);
  });
});
