/**
 * The producer side of the data plane inside one process: channel selectors, and RecordWriter and
 * ResultPartition with batching, flush timer, credit and backpressure. The consumer side is in
 * network/input-gate.test.ts.
 */
import { NO_TIMESTAMP } from '../../common/time.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup, type KeyValue } from '../../common/key-groups.ts';
import { END_OF_INPUT, type ChannelMessage, type SubpartitionReader } from '../../taskmanager/network/channel-message.ts';
import { BroadcastSelector, ForwardSelector, KeyGroupSelector, RebalanceSelector } from '../../taskmanager/network/partitioners.ts';
import { RecordWriter } from '../../taskmanager/network/record-writer.ts';
import { ResultPartition, type ResultPartitionConfig } from '../../taskmanager/network/result-partition.ts';
import { hasSettled } from '../support/settled.ts';

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
