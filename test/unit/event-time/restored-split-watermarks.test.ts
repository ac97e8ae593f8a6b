/**
 * A source keeps each split's highest event time in its checkpoint entry and, restored from it,
 * emits the watermark it had before the first record: a record behind it is as late after a
 * failure as it was before, and the reader never sees the extra field.
 */
import { describe, expect, it } from 'vitest';
import { WatermarkStrategy } from '../../../client/api/watermark-strategy.ts';
import type { SourceSplit } from '../../../common/connector/source.ts';
import { SourceOperator } from '../../../taskmanager/operators/source-operator.ts';
import type { Output } from '../../../taskmanager/operators/stream-operator.ts';
import { ManualSourceReader } from '../../support/manual-source-reader.ts';

/** Records what the source emits, in order. */
class EventLog implements Output {
  readonly events: string[] = [];
  collect(record: unknown): void {
    this.events.push(`record ${(record as { ts: number }).ts}`);
  }
  collectSide(): void {}
  emitWatermark(watermark: number): void {
    this.events.push(`watermark ${watermark}`);
  }
}

/** A reader that records the splits it is given. */
class SplitRecordingReader extends ManualSourceReader {
  given: readonly SourceSplit[] = [];
  override addSplits(splits: readonly SourceSplit[]): void {
    this.given = splits;
    super.addSplits(splits);
  }
}

const strategy = WatermarkStrategy.forBoundedOutOfOrderness<{ ts: number }>(1_000).withTimestampAssigner((r) => r.ts).spec as never;

describe('SourceOperator checkpoints of event time', () => {
  it('restores the watermark of a split and emits it before the first record', async () => {
    const first = new SplitRecordingReader();
    const before = new SourceOperator(first, [{ id: 'manual', emitted: 0 } as SourceSplit], new EventLog(), 'in', strategy);
    await before.open();
    first.push({ ts: 5_000 }, { ts: 3_000 });
    before.poll(10);
    const entries = before.snapshotState(1).splits!.entries as SourceSplit[];
    expect(entries).toEqual([{ id: 'manual', emitted: 2, eventTimeMax: 5_000 }]);

    const second = new SplitRecordingReader();
    const log = new EventLog();
    const after = new SourceOperator(second, entries, log, 'in', strategy);
    await after.open();
    expect(second.given).toEqual([{ id: 'manual', emitted: 2 }]);
    second.push({ ts: 3_999 }, { ts: 7_000 });
    after.poll(10);
    expect(log.events).toEqual(['watermark 3999', 'record 3999', 'record 7000', 'watermark 5999']);
  });

  it('restores the minimum over its splits, not the watermark of the first split alone', async () => {
    const reader = new SplitRecordingReader();
    const log = new EventLog();
    const entries = [{ id: 'ahead', emitted: 0, eventTimeMax: 5_000 } as SourceSplit, { id: 'behind', emitted: 0, eventTimeMax: 2_000 } as SourceSplit];
    const source = new SourceOperator(reader, entries, log, 'in', strategy);
    await source.open();
    reader.push({ ts: 1_500 });
    source.poll(10);
    // 2 000 - 1 000 - 1: a record of the split behind, still in time there, is not late.
    expect(log.events[0]).toBe('watermark 999');
    expect(log.events).toContain('record 1500');
  });

  it('adds nothing to the entry of a split that has seen no record', async () => {
    const reader = new ManualSourceReader();
    const source = new SourceOperator(reader, [{ id: 'manual', emitted: 0 } as SourceSplit], new EventLog(), 'in', strategy);
    await source.open();
    expect(source.snapshotState(1).splits!.entries).toEqual([{ id: 'manual', emitted: 0 }]);
  });
});
