/**
 * Checkpoint barrier alignment in a task (taskmanager/task/barrier-aligner.ts) over a real
 * InputGate and in-memory test channels: a barrier blocks its channel while the others' data
 * still flows, alignment completes with the last barrier and unblocks; an ended channel counts as
 * aligned (also when it ends mid-alignment); a newer barrier abandons the older alignment; a stale
 * barrier is ignored. The test loop mirrors how a task feeds the aligner (task.ts `runInput`).
 */
import { describe, expect, it } from 'vitest';
import { END_OF_INPUT, type ChannelMessage } from '../../../taskmanager/network/channel-message.ts';
import { InputChannel } from '../../../taskmanager/network/input-channel.ts';
import { InputGate } from '../../../taskmanager/network/input-gate.ts';
import type { CheckpointBarrier } from '../../../common/rpc/index.ts';
import { BarrierAligner } from '../../../taskmanager/checkpoint/barrier-aligner.ts';

/** A channel without a transport: the test pushes messages with `send`. */
class TestChannel extends InputChannel {
  credits = 0;

  constructor(gate: InputGate, index: number) {
    super(index, 0, `test channel ${index}`, gate, 10);
    gate.add(this);
  }

  start(): void {}

  protected grantCredit(n: number): void {
    this.credits += n;
  }

  close(): void {}
}

function records(...values: string[]): ChannelMessage {
  return { type: 'records', records: values, timestamps: undefined };
}

function barrier(checkpointId: number): ChannelMessage {
  return { type: 'event', kind: 'BARRIER', barrier: { checkpointId, timestamp: 1000 + checkpointId, savepointRoot: '', full: checkpointId % 2 === 1, final: false } };
}

/** Two (or more) channels on one gate, with an aligner that records abandoned checkpoints. */
function setup(channels = 2): { gate: InputGate; ch: TestChannel[]; aligner: BarrierAligner; abandoned: number[] } {
  const gate = new InputGate();
  const ch = Array.from({ length: channels }, (_, i) => new TestChannel(gate, i));
  gate.start();
  const abandoned: number[] = [];
  const aligner = new BarrierAligner(gate, (id) => abandoned.push(id));
  return { gate, ch, aligner, abandoned };
}

/**
 * Takes every message the gate hands out now, as a task would: records as `<channel>:<value>`,
 * barriers passed to the aligner (`aligned:<id>` when alignment completes), end-of-input as
 * `<channel>:end` (and `aligned:<id>` if that completed an alignment).
 */
function drain(gate: InputGate, aligner: BarrierAligner, aligned: CheckpointBarrier[] = []): string[] {
  const seen: string[] = [];
  for (let taken = gate.poll(); taken; taken = gate.poll()) {
    const { channel, message } = taken;
    if (message.type === 'records') {
      for (const r of message.records) seen.push(`${channel.index}:${String(r)}`);
      continue;
    }
    if (message.type !== 'event') continue;
    let done: CheckpointBarrier | undefined;
    if (message.kind === 'BARRIER') {
      seen.push(`${channel.index}:barrier-${message.barrier.checkpointId}`);
      done = aligner.onBarrier(channel, message.barrier);
    } else if (message.kind === 'END_OF_INPUT') {
      seen.push(`${channel.index}:end`);
      done = aligner.onEndOfInput();
    }
    if (done) {
      seen.push(`aligned:${done.checkpointId}`);
      aligned.push(done);
    }
  }
  return seen;
}

describe('BarrierAligner', () => {
  it('blocks a channel at its barrier while the other still flows, and completes with the last barrier', () => {
    const { gate, ch, aligner } = setup();
    const [a, b] = ch as [TestChannel, TestChannel];
    a.send(records('a1'));
    a.send(barrier(1));
    a.send(records('a2'));
    b.send(records('b1'));

    const first = drain(gate, aligner);
    expect(first).toContain('0:barrier-1');
    expect(first).toContain('1:b1');
    expect(first).not.toContain('0:a2');
    expect(first.indexOf('0:a1')).toBeLessThan(first.indexOf('0:barrier-1'));
    expect(gate.isBlocked(a)).toBe(true);
    expect(gate.isBlocked(b)).toBe(false);
    expect(aligner.aligning).toBe(true);

    // More data on the unblocked channel flows; the blocked one still holds a2 (and its credit).
    a.send(records('a3'));
    b.send(records('b2'));
    expect(drain(gate, aligner)).toEqual(['1:b2']);
    expect(a.hasData).toBe(true);
    const creditsBefore = a.credits;

    const aligned: CheckpointBarrier[] = [];
    b.send(barrier(1));
    b.send(records('b3'));
    const rest = drain(gate, aligner, aligned);
    expect(rest.slice(0, 2)).toEqual(['1:barrier-1', 'aligned:1']);
    expect(rest.slice(2).sort()).toEqual(['0:a2', '0:a3', '1:b3']);
    expect(rest.indexOf('0:a2')).toBeLessThan(rest.indexOf('0:a3'));
    expect(aligned).toEqual([{ checkpointId: 1, timestamp: 1001, savepointRoot: '', full: true, final: false }]);
    expect(gate.isBlocked(a)).toBe(false);
    expect(aligner.aligning).toBe(false);
    expect(a.credits).toBe(creditsBefore + 2);
  });

  it('completes alignment at once when the other channel has already ended', () => {
    const { gate, ch, aligner } = setup();
    const [a, b] = ch as [TestChannel, TestChannel];
    b.send(records('b1'));
    b.send(END_OF_INPUT);
    expect(drain(gate, aligner)).toEqual(['1:b1', '1:end']);
    expect(b.finished).toBe(true);

    a.send(barrier(4));
    a.send(records('a1'));
    expect(drain(gate, aligner)).toEqual(['0:barrier-4', 'aligned:4', '0:a1']);
    expect(gate.isBlocked(a)).toBe(false);
  });

  it('completes alignment when the last channel still missing ends during it', () => {
    const { gate, ch, aligner } = setup(3);
    const [a, b, c] = ch as [TestChannel, TestChannel, TestChannel];
    a.send(barrier(2));
    a.send(records('a1'));
    b.send(barrier(2));
    expect(drain(gate, aligner)).toEqual(['0:barrier-2', '1:barrier-2']);
    expect(aligner.aligning).toBe(true);

    c.send(records('c1'));
    c.send(END_OF_INPUT);
    expect(drain(gate, aligner)).toEqual(['2:c1', '2:end', 'aligned:2', '0:a1']);
    expect(aligner.aligning).toBe(false);
    expect(gate.isBlocked(a) || gate.isBlocked(b)).toBe(false);
  });

  it('abandons an alignment when a newer barrier arrives, then aligns the newer one', () => {
    const { gate, ch, aligner, abandoned } = setup();
    const [a, b] = ch as [TestChannel, TestChannel];
    a.send(barrier(1));
    a.send(records('a1'));
    a.send(barrier(2));
    expect(drain(gate, aligner)).toEqual(['0:barrier-1']);
    expect(abandoned).toEqual([]);

    // Channel b skipped checkpoint 1 (say, its source declined it) and brings barrier 2.
    const aligned: CheckpointBarrier[] = [];
    b.send(barrier(2));
    const seen = drain(gate, aligner, aligned);
    expect(abandoned).toEqual([1]);
    // The abandoned alignment released channel a: its data and barrier 2 now arrive.
    expect(seen).toEqual(['1:barrier-2', '0:a1', '0:barrier-2', 'aligned:2']);
    expect(aligned.map((x) => x.checkpointId)).toEqual([2]);
    expect(aligner.aligning).toBe(false);
  });

  it('ignores a stale barrier of an older checkpoint, without blocking its channel', () => {
    const { gate, ch, aligner, abandoned } = setup();
    const [a, b] = ch as [TestChannel, TestChannel];
    a.send(barrier(3));
    b.send(barrier(3));
    expect(drain(gate, aligner)).toEqual(['0:barrier-3', '1:barrier-3', 'aligned:3']);

    // After alignment: barrier 2 is stale.
    b.send(barrier(2));
    b.send(records('b1'));
    expect(drain(gate, aligner)).toEqual(['1:barrier-2', '1:b1']);
    expect(gate.isBlocked(b)).toBe(false);
    expect(aligner.aligning).toBe(false);

    // During an alignment of 5: a stale barrier 4 neither blocks its channel nor disturbs it.
    a.send(barrier(5));
    a.send(records('a1'));
    b.send(barrier(4));
    b.send(records('b2'));
    expect(drain(gate, aligner)).toEqual(['0:barrier-5', '1:barrier-4', '1:b2']);
    expect(aligner.aligning).toBe(true);
    expect(gate.isBlocked(b)).toBe(false);
    b.send(barrier(5));
    expect(drain(gate, aligner)).toEqual(['1:barrier-5', 'aligned:5', '0:a1']);
    expect(abandoned).toEqual([]);
  });
});
