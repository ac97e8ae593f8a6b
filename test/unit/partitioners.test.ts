/**
 * The data plane inside one process: channel selectors, the producer side (RecordWriter and
 * ResultPartition with batching, flush timer, credit and backpressure) and the consumer side
 * (InputChannel and InputGate with round-robin, credit return, end of input and failure).
 */
import { NO_TIMESTAMP } from '../../common/time.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup, type KeyValue } from '../../common/key-groups.ts';
import { END_OF_INPUT, type ChannelMessage, type SubpartitionReader } from '../../taskmanager/network/channel-message.ts';
import { InputChannel, type ChannelListener } from '../../taskmanager/network/input-channel.ts';
import { InputGate } from '../../taskmanager/network/input-gate.ts';
import { LocalInputChannel } from '../../taskmanager/network/local-input-channel.ts';
import { PartitionManager, partitionKey } from '../../taskmanager/network/partition-manager.ts';
import { BroadcastSelector, ForwardSelector, KeyGroupSelector, RebalanceSelector } from '../../taskmanager/network/partitioners.ts';
import { RecordWriter } from '../../taskmanager/network/record-writer.ts';
import { ResultPartition, type ResultPartitionConfig } from '../../taskmanager/network/result-partition.ts';

/** Lets every pending promise callback run (a macrotask comes after all microtasks). */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether a promise has settled once pending callbacks ran. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await drainMicrotasks();
  return settled;
}

/** A consumer that records what a subpartition sends it. */
class RecordingReader implements SubpartitionReader {
  readonly messages: ChannelMessage[] = [];
  readonly failures: string[] = [];
  send(message: ChannelMessage): void {
    this.messages.push(message);
  }
  fail(reason: string): void {
    this.failures.push(reason);
  }
  /** The record batches received, as arrays. */
  get batches(): unknown[][] {
    return this.messages.flatMap((m) => (m.type === 'records' ? [m.records] : []));
  }
  /** Every record received, in order. */
  get records(): unknown[] {
    return this.batches.flat();
  }
}

const CONFIG: ResultPartitionConfig = { initialBatchRecords: 3, targetBatchBytes: 1024, maxQueuedBatches: 2, bufferTimeoutMs: 50 };

function partition(subpartitions: number, config: Partial<ResultPartitionConfig> = {}): ResultPartition {
  return new ResultPartition('job/exec/edge', subpartitions, { ...CONFIG, ...config });
}

/** Attaches a recording reader to every subpartition, granting `credit` to each. */
function attachReaders(p: ResultPartition, credit: number): RecordingReader[] {
  return p.subpartitions.map((s) => {
    const reader = new RecordingReader();
    s.attach(reader);
    if (credit > 0) s.addCredit(credit);
    return reader;
  });
}

describe('channel selectors', () => {
  it('ForwardSelector always picks channel 0', () => {
    const selector = new ForwardSelector();
    expect([1, 2, 3].map(() => selector.select())).toEqual([0, 0, 0]);
  });

  it('RebalanceSelector cycles evenly from its start offset', () => {
    const selector = new RebalanceSelector(3, 1);
    expect(Array.from({ length: 7 }, () => selector.select())).toEqual([1, 2, 0, 1, 2, 0, 1]);
  });

  it('RebalanceSelector reduces a start offset beyond the channel count', () => {
    const selector = new RebalanceSelector(4, 6);
    expect(Array.from({ length: 4 }, () => selector.select())).toEqual([2, 3, 0, 1]);
  });

  it('RebalanceSelector spreads records evenly over the channels', () => {
    const selector = new RebalanceSelector(5, 3);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 1000; i++) counts[selector.select()]!++;
    expect(counts).toEqual([200, 200, 200, 200, 200]);
  });

  it('RebalanceSelector with one channel always picks it', () => {
    const selector = new RebalanceSelector(1, 7);
    expect([selector.select(), selector.select()]).toEqual([0, 0]);
  });

  it('BroadcastSelector returns -1 (every channel)', () => {
    expect(new BroadcastSelector().select()).toBe(-1);
  });

  it('KeyGroupSelector routes like the Flink key-group formulas', () => {
    const keys: KeyValue[] = ['a', 'hello', 'user-123', 'key-17', 0, 1, -1, 42, 2 ** 40, ['a', 1], []];
    for (const [maxParallelism, channels] of [
      [128, 1],
      [128, 3],
      [128, 4],
      [256, 7],
      [16, 16],
    ] as const) {
      const selector = new KeyGroupSelector((r) => (r as { k: KeyValue }).k, channels, maxParallelism);
      for (const k of keys) {
        const expected = computeOperatorIndexForKeyGroup(maxParallelism, channels, assignToKeyGroup(k, maxParallelism));
        expect(selector.select({ k })).toBe(expected);
        expect(expected).toBeGreaterThanOrEqual(0);
        expect(expected).toBeLessThan(channels);
      }
    }
  });

  // Key groups of 128 verified against Java (see key-groups.test.ts): 'a' 81, 'hello' 35, 'key-17' 96, 0 94, 42 29.
  it.each<[KeyValue, number, number]>([
    ['a', 4, 2],
    ['hello', 4, 1],
    ['key-17', 4, 3],
    [0, 4, 2],
    [42, 4, 0],
    ['a', 3, 1],
    ['hello', 3, 0],
    ['key-17', 3, 2],
    ['hello', 128, 35],
    ['a', 128, 81],
    ['anything', 1, 0],
  ])('KeyGroupSelector routes %j over %i channels (max parallelism 128) to %i', (key, channels, expected) => {
    expect(new KeyGroupSelector((r) => r as KeyValue, channels, 128).select(key)).toBe(expected);
  });

  it('KeyGroupSelector sends equal keys to the same channel', () => {
    const selector = new KeyGroupSelector((r) => (r as { id: string }).id, 5, 128);
    const first = selector.select({ id: 'user-7', n: 1 });
    expect(selector.select({ id: 'user-7', n: 2 })).toBe(first);
  });
});

describe('RecordWriter and ResultPartition', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('routes records to the subpartitions the selector picks', () => {
    const p = partition(3, { initialBatchRecords: 100 });
    const readers = attachReaders(p, 10);
    const writer = new RecordWriter(p, new RebalanceSelector(3, 0), false);
    for (let i = 0; i < 7; i++) writer.emit(i, NO_TIMESTAMP);
    p.flushAll();
    expect(readers.map((r) => r.records)).toEqual([
      [0, 3, 6],
      [1, 4],
      [2, 5],
    ]);
  });

  it('routes keyed records by key group', () => {
    const p = partition(4, { initialBatchRecords: 100 });
    const readers = attachReaders(p, 10);
    const key = (r: unknown): KeyValue => (r as { k: string }).k;
    const writer = new RecordWriter(p, new KeyGroupSelector(key, 4, 128), false);
    const records = ['a', 'b', 'hello', 'a', 'zz', 'hello'].map((k, i) => ({ k, i }));
    for (const r of records) writer.emit(r, NO_TIMESTAMP);
    p.flushAll();
    readers.forEach((reader, channel) => {
      const expected = records.filter((r) => computeOperatorIndexForKeyGroup(128, 4, assignToKeyGroup(r.k, 128)) === channel);
      expect(reader.records).toEqual(expected);
    });
    expect(readers.flatMap((r) => r.records)).toHaveLength(records.length);
  });

  it('sends broadcast records to every subpartition', () => {
    const p = partition(3, { initialBatchRecords: 100 });
    const readers = attachReaders(p, 10);
    const writer = new RecordWriter(p, new BroadcastSelector(), false);
    writer.emit('x', NO_TIMESTAMP);
    writer.emit('y', NO_TIMESTAMP);
    p.flushAll();
    expect(readers.map((r) => r.records)).toEqual([
      ['x', 'y'],
      ['x', 'y'],
      ['x', 'y'],
    ]);
  });

  it('writes every record of a forward writer to subpartition 0', () => {
    const p = partition(1, { initialBatchRecords: 100 });
    const [reader] = attachReaders(p, 10);
    const writer = new RecordWriter(p, new ForwardSelector(), true);
    for (const r of ['a', 'b', 'c']) writer.emit(r, NO_TIMESTAMP);
    p.flushAll();
    expect(reader!.records).toEqual(['a', 'b', 'c']);
  });

  it('seals a batch when it reaches initialBatchRecords', () => {
    const p = partition(1);
    const [reader] = attachReaders(p, 10);
    const writer = new RecordWriter(p, new ForwardSelector(), true);
    for (let i = 0; i < 7; i++) writer.emit(i, NO_TIMESTAMP);
    expect(reader!.batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    p.dispose('test over');
  });

  it('seals a partial batch when the flush timer fires after bufferTimeoutMs', () => {
    vi.useFakeTimers();
    const p = partition(2, { bufferTimeoutMs: 50 });
    const readers = attachReaders(p, 10);
    const writer = new RecordWriter(p, new RebalanceSelector(2, 0), false);
    writer.emit('a', NO_TIMESTAMP);
    writer.emit('b', NO_TIMESTAMP);
    writer.emit('c', NO_TIMESTAMP);
    vi.advanceTimersByTime(49);
    expect(readers.map((r) => r.messages)).toEqual([[], []]);
    vi.advanceTimersByTime(1);
    expect(readers.map((r) => r.batches)).toEqual([[['a', 'c']], [['b']]]);
    writer.emit('d', NO_TIMESTAMP);
    vi.advanceTimersByTime(49);
    expect(readers[1]!.batches).toEqual([['b']]);
    vi.advanceTimersByTime(1);
    expect(readers.map((r) => r.batches)).toEqual([[['a', 'c']], [['b'], ['d']]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not arm the flush timer when records fill whole batches', () => {
    vi.useFakeTimers();
    const p = partition(1, { initialBatchRecords: 2 });
    const [reader] = attachReaders(p, 10);
    const writer = new RecordWriter(p, new ForwardSelector(), true);
    writer.emit(1, NO_TIMESTAMP);
    writer.emit(2, NO_TIMESTAMP);
    expect(reader!.batches).toEqual([[1, 2]]);
    vi.advanceTimersByTime(1_000);
    expect(reader!.batches).toEqual([[1, 2]]);
  });

  it('sends nothing without credit', () => {
    const p = partition(1, { maxQueuedBatches: 10 });
    const [reader] = attachReaders(p, 0);
    const writer = new RecordWriter(p, new ForwardSelector(), true);
    for (let i = 0; i < 6; i++) writer.emit(i, NO_TIMESTAMP);
    p.flushAll();
    expect(reader!.messages).toEqual([]);
  });

  it('releases queued batches in order as credit arrives', () => {
    const p = partition(1, { maxQueuedBatches: 10 });
    const [reader] = attachReaders(p, 0);
    const writer = new RecordWriter(p, new ForwardSelector(), true);
    for (let i = 0; i < 9; i++) writer.emit(i, NO_TIMESTAMP);
    p.subpartitions[0]!.addCredit(1);
    expect(reader!.batches).toEqual([[0, 1, 2]]);
    p.subpartitions[0]!.addCredit(2);
    expect(reader!.batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    p.subpartitions[0]!.addCredit(5);
    writer.emit(9, NO_TIMESTAMP);
    p.flushAll();
    expect(reader!.batches.at(-1)).toEqual([9]);
  });

  it('queues batches for a consumer that attaches late', () => {
    const p = partition(1, { maxQueuedBatches: 10 });
    const writer = new RecordWriter(p, new ForwardSelector(), true);
    for (let i = 0; i < 6; i++) writer.emit(i, NO_TIMESTAMP);
    const [reader] = attachReaders(p, 1);
    expect(reader!.batches).toEqual([[0, 1, 2]]);
  });

  it('becomes unavailable at maxQueuedBatches and available again once credit drains the queue', async () => {
    const p = partition(2, { maxQueuedBatches: 2 });
    const readers = attachReaders(p, 0);
    const writer = new RecordWriter(p, new ForwardSelector(), true);
    expect(p.available).toBe(true);
    await expect(hasSettled(p.whenAvailable())).resolves.toBe(true);
    for (let i = 0; i < 3; i++) writer.emit(i, NO_TIMESTAMP);
    expect(p.available).toBe(true);
    for (let i = 3; i < 6; i++) writer.emit(i, NO_TIMESTAMP);
    expect(p.subpartitions[0]!.available).toBe(false);
    expect(p.subpartitions[1]!.available).toBe(true);
    expect(p.available).toBe(false);
    const waiting = p.whenAvailable();
    await expect(hasSettled(waiting)).resolves.toBe(false);
    p.subpartitions[1]!.addCredit(5);
    await expect(hasSettled(waiting)).resolves.toBe(false);
    p.subpartitions[0]!.addCredit(1);
    expect(readers[0]!.batches).toEqual([[0, 1, 2]]);
    expect(p.available).toBe(true);
    await expect(hasSettled(waiting)).resolves.toBe(true);
  });

  it('finish() appends END_OF_INPUT after the pending records and clears the flush timer', () => {
    vi.useFakeTimers();
    const p = partition(2);
    const readers = attachReaders(p, 10);
    const writer = new RecordWriter(p, new RebalanceSelector(2, 0), false);
    for (let i = 0; i < 5; i++) writer.emit(i, NO_TIMESTAMP);
    expect(vi.getTimerCount()).toBe(1);
    p.finish();
    expect(vi.getTimerCount()).toBe(0);
    expect(readers[0]!.messages).toEqual([{ type: 'records', records: [0, 2, 4] }, END_OF_INPUT]);
    expect(readers[1]!.messages).toEqual([{ type: 'records', records: [1, 3] }, END_OF_INPUT]);
  });

  it('whenConsumed resolves only after END_OF_INPUT was sent to every consumer', async () => {
    const p = partition(2);
    const readers = attachReaders(p, 0);
    const writer = new RecordWriter(p, new RebalanceSelector(2, 0), false);
    writer.emit('a', NO_TIMESTAMP);
    writer.emit('b', NO_TIMESTAMP);
    p.finish();
    const consumed = p.whenConsumed();
    await expect(hasSettled(consumed)).resolves.toBe(false);
    p.subpartitions[0]!.addCredit(1);
    p.subpartitions[1]!.addCredit(2);
    expect(readers[0]!.messages).toEqual([{ type: 'records', records: ['a'] }]);
    expect(readers[1]!.messages).toEqual([{ type: 'records', records: ['b'] }, END_OF_INPUT]);
    expect(p.subpartitions[1]!.done).toBe(true);
    await expect(hasSettled(consumed)).resolves.toBe(false);
    p.subpartitions[0]!.addCredit(1);
    expect(readers[0]!.messages.at(-1)).toBe(END_OF_INPUT);
    await expect(hasSettled(consumed)).resolves.toBe(true);
  });

  it('whenConsumed also resolves when a consumer goes away', async () => {
    const p = partition(1);
    attachReaders(p, 0);
    p.finish();
    const consumed = p.whenConsumed();
    await expect(hasSettled(consumed)).resolves.toBe(false);
    p.subpartitions[0]!.release();
    await expect(hasSettled(consumed)).resolves.toBe(true);
  });

  it('dispose() fails consumers that have not received END_OF_INPUT', () => {
    const p = partition(2);
    const readers = attachReaders(p, 10);
    p.subpartitions[1]!.finish();
    p.dispose('producer cancelled');
    expect(readers[0]!.failures).toEqual(['producer cancelled']);
    expect(readers[1]!.failures).toEqual([]);
  });
});

/** An in-memory input channel: the test plays the transport. */
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
