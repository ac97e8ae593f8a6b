/**
 * The consumer side of the data plane inside one process: InputChannel and InputGate (round-robin,
 * credit return, end of input and failure), and local channels moving records from producers'
 * result partitions through a PartitionManager under backpressure.
 */
import { describe, expect, it } from 'vitest';
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { END_OF_INPUT, type ChannelMessage } from '../../../taskmanager/network/channel-message.ts';
import { InputChannel, type ChannelListener } from '../../../taskmanager/network/input-channel.ts';
import { InputGate } from '../../../taskmanager/network/input-gate.ts';
import { LocalInputChannel } from '../../../taskmanager/network/local-input-channel.ts';
import { PartitionManager, partitionKey } from '../../../taskmanager/network/partition-manager.ts';
import { RebalanceSelector } from '../../../taskmanager/network/partitioners.ts';
import { RecordWriter } from '../../../taskmanager/network/record-writer.ts';
import { ResultPartition, type ResultPartitionConfig } from '../../../taskmanager/network/result-partition.ts';
import { hasSettled } from '../../support/settled.ts';

const CONFIG: ResultPartitionConfig = { initialBatchRecords: 3, targetBatchBytes: 1024, maxQueuedBatches: 2, bufferTimeoutMs: 50 };

class TestChannel extends InputChannel {
  credits = 0;
  started = false;
  closed = false;

  constructor(index: number, listener: ChannelListener, name = `test-${index}`) {
    super(index, 0, name, listener, 2);
  }

  start(): void {
    this.started = true;
  }

  protected grantCredit(n: number): void {
    this.credits += n;
  }

  close(): void {
    this.closed = true;
  }
}

function batch(...records: unknown[]): ChannelMessage {
  return { type: 'records', records, timestamps: undefined };
}

/** Takes every waiting message of a gate. */
function drain(gate: InputGate): { channel: number; message: ChannelMessage }[] {
  const out: { channel: number; message: ChannelMessage }[] = [];
  for (let m = gate.poll(); m; m = gate.poll()) out.push({ channel: m.channel.index, message: m.message });
  return out;
}

describe('InputGate', () => {
  function gateWith(n: number): { gate: InputGate; channels: TestChannel[] } {
    const gate = new InputGate();
    const channels = Array.from({ length: n }, (_, i) => new TestChannel(i, gate));
    for (const c of channels) gate.add(c);
    gate.start();
    return { gate, channels };
  }

  it('starts and closes every channel', () => {
    const { gate, channels } = gateWith(3);
    expect(channels.every((c) => c.started)).toBe(true);
    gate.close();
    expect(channels.every((c) => c.closed)).toBe(true);
  });

  it('takes from channels with data in turn', () => {
    const { gate, channels } = gateWith(3);
    const [a, b, c] = channels as [TestChannel, TestChannel, TestChannel];
    a.send(batch('a1'));
    a.send(batch('a2'));
    a.send(batch('a3'));
    b.send(batch('b1'));
    c.send(batch('c1'));
    c.send(batch('c2'));
    const taken = drain(gate).map((m) => (m.message.type === 'records' ? m.message.records[0] : undefined));
    expect(taken).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    expect(gate.poll()).toBeUndefined();
  });

  it('re-queues a channel that gets data after it was drained', () => {
    const { gate, channels } = gateWith(2);
    const [a, b] = channels as [TestChannel, TestChannel];
    a.send(batch(1));
    expect(drain(gate).map((m) => m.channel)).toEqual([0]);
    b.send(batch(2));
    a.send(batch(3));
    expect(drain(gate).map((m) => m.channel)).toEqual([1, 0]);
  });

  it('returns one credit per taken batch', () => {
    const { gate, channels } = gateWith(2);
    const [a, b] = channels as [TestChannel, TestChannel];
    a.send(batch(1));
    a.send(batch(2));
    b.send(batch(3));
    expect(a.credits + b.credits).toBe(0);
    gate.poll();
    expect([a.credits, b.credits]).toEqual([1, 0]);
    gate.poll();
    gate.poll();
    expect([a.credits, b.credits]).toEqual([2, 1]);
  });

  it('is finished once every channel delivered END_OF_INPUT, which returns no credit', () => {
    const { gate, channels } = gateWith(2);
    const [a, b] = channels as [TestChannel, TestChannel];
    a.send(batch(1));
    a.send(END_OF_INPUT);
    b.send(batch(2));
    expect(gate.finished).toBe(false);
    drain(gate);
    expect(a.finished).toBe(true);
    expect(gate.finished).toBe(false);
    b.send(END_OF_INPUT);
    expect(gate.finished).toBe(false);
    const last = drain(gate);
    expect(last).toEqual([{ channel: 1, message: END_OF_INPUT }]);
    expect(gate.finished).toBe(true);
    expect([a.credits, b.credits]).toEqual([1, 1]);
  });

  it('whenAvailable resolves when a channel gets data', async () => {
    const { gate, channels } = gateWith(2);
    const waiting = gate.whenAvailable();
    await expect(hasSettled(waiting)).resolves.toBe(false);
    channels[1]!.send(batch('x'));
    await expect(hasSettled(waiting)).resolves.toBe(true);
    await expect(hasSettled(gate.whenAvailable())).resolves.toBe(true);
  });

  it('surfaces a channel failure through failed and wakes a waiting task', async () => {
    const { gate, channels } = gateWith(2);
    const waiting = gate.whenAvailable();
    expect(gate.failed).toBeUndefined();
    channels[1]!.fail('connection reset');
    expect(gate.failed).toBe('test-1: connection reset');
    await expect(hasSettled(waiting)).resolves.toBe(true);
    channels[0]!.fail('later failure');
    expect(gate.failed).toBe('test-1: connection reset');
  });

  it('ignores a failure after END_OF_INPUT arrived', () => {
    const { gate, channels } = gateWith(1);
    channels[0]!.send(END_OF_INPUT);
    channels[0]!.fail('producer went away');
    expect(gate.failed).toBeUndefined();
  });

  it('keeps the order of messages within a channel across many batches', () => {
    const { gate, channels } = gateWith(1);
    const got: unknown[] = [];
    for (let i = 0; i < 300; i++) {
      channels[0]!.send(batch(i));
      if (i % 3 === 2) for (const m of drain(gate)) if (m.message.type === 'records') got.push(m.message.records[0]);
    }
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });
});

describe('LocalInputChannel with a PartitionManager', () => {
  it('moves every record from two producers to two consumers under backpressure', async () => {
    const manager = new PartitionManager({ subscribeTimeoutMs: 1_000, maxPendingSubscriptions: 16 });
    const config = { ...CONFIG, maxQueuedBatches: 2 };
    const producers = [0, 1].map((i) => new ResultPartition(partitionKey('job', `producer-${i}`, 'e1'), 2, config));
    const gates = [0, 1].map((consumerSubtask) => {
      const gate = new InputGate();
      producers.forEach((p, i) => gate.add(new LocalInputChannel(i, 0, gate, 1, manager, p.key, consumerSubtask)));
      gate.start();
      return gate;
    });
    for (const p of producers) manager.register(p);

    let blocked = 0;
    const produce = async (index: number): Promise<void> => {
      const partition = producers[index]!;
      const writer = new RecordWriter(partition, new RebalanceSelector(2, 0), false);
      for (let r = index; r < 120; r += 2) {
        if (!partition.available) {
          blocked++;
          await partition.whenAvailable();
        }
        writer.emit(r, NO_TIMESTAMP);
      }
      partition.finish();
      await partition.whenConsumed();
    };
    const consume = async (gate: InputGate): Promise<number[]> => {
      const received: number[] = [];
      while (!gate.finished) {
        const next = gate.poll();
        if (next === undefined) {
          await gate.whenAvailable();
          if (gate.failed !== undefined) throw new Error(gate.failed);
          continue;
        }
        if (next.message.type === 'records') received.push(...(next.message.records as number[]));
      }
      return received;
    };

    const [, , first, second] = await Promise.all([produce(0), produce(1), consume(gates[0]!), consume(gates[1]!)]);
    const expectedFor = (subtask: number): number[] => Array.from({ length: 120 }, (_, r) => r).filter((r) => Math.floor(r / 2) % 2 === subtask);
    expect([...first].sort((x, y) => x - y)).toEqual(expectedFor(0));
    expect([...second].sort((x, y) => x - y)).toEqual(expectedFor(1));
    expect(first.filter((r) => r % 2 === 0)).toEqual(expectedFor(0).filter((r) => r % 2 === 0));
    expect(blocked).toBeGreaterThan(0);
    for (const gate of gates) gate.close();
  });

  it('fails the channel when the producer never registers', async () => {
    const manager = new PartitionManager({ subscribeTimeoutMs: 20, maxPendingSubscriptions: 16 });
    const gate = new InputGate();
    gate.add(new LocalInputChannel(0, 0, gate, 2, manager, partitionKey('job', 'missing', 'e1'), 0));
    gate.start();
    await gate.whenAvailable();
    expect(gate.failed).toMatch(/result partition job\/missing\/e1 was not produced within 20 ms/);
  });
});
