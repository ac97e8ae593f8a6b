/**
 * Event time in the runtime: per-split watermark generation with idleness, the minimum over input
 * channels, watermarks carried in order inside batches, and timestamps across the wire.
 */
import { describe, expect, it } from 'vitest';
import { WatermarkStrategy } from '../../../client/api/watermark-strategy.ts';
import { createRecordCodec } from '../../../common/codec.ts';
import { MAX_WATERMARK, MIN_WATERMARK, NO_TIMESTAMP, isWatermarkSlot } from '../../../common/time.ts';
import type { ChannelMessage, SubpartitionReader } from '../../../taskmanager/network/channel-message.ts';
import { ForwardSelector, RebalanceSelector } from '../../../taskmanager/network/partitioners.ts';
import { RecordWriter } from '../../../taskmanager/network/record-writer.ts';
import { ResultPartition } from '../../../taskmanager/network/result-partition.ts';
import { fromWire, toWire } from '../../../taskmanager/network/wire-message.ts';
import { SplitWatermarks } from '../../../taskmanager/operators/split-watermarks.ts';
import { WatermarkValve } from '../../../taskmanager/task/watermark-valve.ts';

const bounded = (ms: number) => WatermarkStrategy.forBoundedOutOfOrderness<{ ts: number }>(ms).withTimestampAssigner((r) => r.ts).spec as never;

describe('SplitWatermarks', () => {
  it('trails the highest timestamp of a split by the bound plus 1 ms', () => {
    const w = new SplitWatermarks(bounded(2000), 0);
    const a = w.split('a');
    expect(w.observe(a, 10_000)).toBe(7_999);
    expect(w.observe(a, 9_000)).toBeUndefined();
    expect(w.observe(a, 12_000)).toBe(9_999);
  });

  it('is the minimum over live splits, and an ended split stops holding it back', () => {
    const w = new SplitWatermarks(bounded(0), 0);
    const a = w.split('a');
    const b = w.split('b');
    expect(w.observe(a, 100)).toBeUndefined();
    expect(w.observe(b, 50)).toBe(49);
    expect(w.observe(b, 80)).toBe(79);
    expect(w.observe(b, 500)).toBe(99);
    expect(w.observe(a, 200)).toBe(199);
    expect(w.end('a')).toBe(499);
  });

  it('leaves an idle split out until it emits again', () => {
    const strategy = WatermarkStrategy.forBoundedOutOfOrderness<{ ts: number }>(0).withTimestampAssigner((r) => r.ts).withIdleness(1000).spec;
    const w = new SplitWatermarks(strategy as never, 0);
    const a = w.split('a');
    const b = w.split('b');
    w.observe(a, 5000);
    w.observe(b, 100);
    expect(w.combined).toBe(99);
    w.now = 600;
    w.observe(a, 6000);
    expect(w.checkIdleness()).toBeUndefined();
    w.now = 1200;
    expect(w.checkIdleness()).toBe(5999);
    expect(w.allIdle).toBe(false);
    w.now = 2300;
    w.checkIdleness();
    expect(w.allIdle).toBe(true);
    w.now = 2400;
    expect(w.observe(b, 7000)).toBe(6999);
    expect(w.allIdle).toBe(false);
  });

  it('generates nothing without a bound', () => {
    const w = new SplitWatermarks(WatermarkStrategy.noWatermarks<{ ts: number }>().withTimestampAssigner((r) => r.ts).spec as never, 0);
    expect(w.observe(w.split('a'), 100)).toBeUndefined();
    expect(w.combined).toBe(MIN_WATERMARK);
  });

  it('rejects a strategy with watermarks but no timestamps', () => {
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(10).validate()).toThrow(/withTimestampAssigner/);
  });
});

describe('WatermarkValve', () => {
  it('takes the minimum over channels and never goes back', () => {
    const v = new WatermarkValve(3);
    expect(v.onWatermark(0, 10)).toBeUndefined();
    expect(v.onWatermark(1, 5)).toBeUndefined();
    expect(v.onWatermark(2, 7)).toBe(5);
    expect(v.onWatermark(1, 20)).toBe(7);
    expect(v.onWatermark(2, 8)).toBe(8);
    expect(v.onWatermark(2, 3)).toBeUndefined();
    expect(v.combined).toBe(8);
  });

  it('treats an ended channel as the end of time, and reaches it when all ended', () => {
    const v = new WatermarkValve(2);
    v.onWatermark(0, 100);
    expect(v.onEnd(1)).toBe(100);
    expect(v.onEnd(0)).toBe(MAX_WATERMARK);
  });

  it('leaves idle channels out, and reports when all are idle', () => {
    const v = new WatermarkValve(2);
    v.onWatermark(0, 100);
    expect(v.onIdle(1)).toBe(100);
    expect(v.allIdle).toBe(false);
    v.onIdle(0);
    expect(v.allIdle).toBe(true);
    v.onData(1);
    expect(v.allIdle).toBe(false);
    expect(v.onWatermark(1, 150)).toBe(150);
    expect(v.onWatermark(0, 200)).toBeUndefined();
    expect(v.onWatermark(1, 300)).toBe(200);
  });
});

class Reader implements SubpartitionReader {
  readonly messages: ChannelMessage[] = [];
  send(message: ChannelMessage): void {
    this.messages.push(message);
  }
  fail(): void {}
}

/** Records and watermarks of a subpartition, in the order a consumer sees them. */
function sequence(messages: readonly ChannelMessage[]): unknown[] {
  const out: unknown[] = [];
  for (const m of messages) {
    if (m.type === 'event') out.push(m.kind);
    else if (m.type === 'records') m.records.forEach((r, i) => out.push(m.timestamps && isWatermarkSlot(m.timestamps[i]!) ? { wm: r } : { r, ts: m.timestamps?.[i] ?? NO_TIMESTAMP }));
  }
  return out;
}

describe('watermarks inside batches', () => {
  const config = { initialBatchRecords: 4, targetBatchBytes: 1 << 20, maxQueuedBatches: 100, bufferTimeoutMs: 1000 };

  it('puts the latest watermark before the next record of each subpartition, without sealing the batch', () => {
    const partition = new ResultPartition('p', 2, config);
    const readers = partition.subpartitions.map((s) => {
      const r = new Reader();
      s.attach(r);
      s.addCredit(100);
      return r;
    });
    const writer = new RecordWriter(partition, new RebalanceSelector(2, 0), false);
    writer.emit('a', 1);
    writer.emitWatermark(1);
    writer.emitWatermark(5);
    writer.emit('b', 6);
    writer.emit('c', 7);
    partition.finish();
    expect(sequence(readers[0]!.messages)).toEqual([{ r: 'a', ts: 1 }, { wm: 5 }, { r: 'c', ts: 7 }, 'END_OF_INPUT']);
    expect(sequence(readers[1]!.messages)).toEqual([{ wm: 5 }, { r: 'b', ts: 6 }, 'END_OF_INPUT']);
    expect(readers[0]!.messages.filter((m) => m.type === 'records')).toHaveLength(1);
  });

  it('sends a watermark on flush even when no record follows it', () => {
    const partition = new ResultPartition('p', 1, config);
    const reader = new Reader();
    partition.subpartitions[0]!.attach(reader);
    partition.subpartitions[0]!.addCredit(10);
    const writer = new RecordWriter(partition, new ForwardSelector(), true);
    writer.emit({ x: 1 }, NO_TIMESTAMP);
    writer.emitWatermark(42);
    partition.flushAll();
    expect(sequence(reader.messages)).toEqual([{ r: { x: 1 }, ts: NO_TIMESTAMP }, { wm: 42 }]);
    partition.dispose('done');
  });

  it('carries no timestamp array for a batch without timestamps', () => {
    const partition = new ResultPartition('p', 1, config);
    const reader = new Reader();
    partition.subpartitions[0]!.attach(reader);
    partition.subpartitions[0]!.addCredit(10);
    new RecordWriter(partition, new ForwardSelector(), true).emit('x', NO_TIMESTAMP);
    partition.finish();
    const batch = reader.messages[0]!;
    expect(batch.type === 'records' && batch.timestamps).toBeUndefined();
  });

  it('round-trips timestamps and watermark slots through the wire form', () => {
    const codec = createRecordCodec();
    const message: ChannelMessage = { type: 'records', records: [{ a: 1 }, 17, { b: 2 }], timestamps: [1_700_000_000_123, Number.NaN, NO_TIMESTAMP] };
    const wire = toWire(message, codec);
    const back = fromWire({ records: Buffer.from(wire.records as Uint8Array), count: 3, timestamps: Buffer.concat([Buffer.alloc(3), Buffer.from(wire.timestamps as Uint8Array)]).subarray(3) } as never);
    expect(back.type).toBe('encoded');
    if (back.type !== 'encoded') return;
    expect(codec.decodeBatch(back.bytes)).toEqual([{ a: 1 }, 17, { b: 2 }]);
    expect(back.timestamps![0]).toBe(1_700_000_000_123);
    expect(isWatermarkSlot(back.timestamps![1]!)).toBe(true);
    expect(back.timestamps![2]).toBe(NO_TIMESTAMP);
  });
});
