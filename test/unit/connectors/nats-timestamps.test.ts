/**
 * Timestamps a source passes with its records (the NATS message time): they become the record
 * timestamps when the job has no assigner, drive per-split watermarks, and lose to the job's
 * assigner when it has one. A source that says it is timestamped may take a watermark strategy
 * without an assigner.
 */
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment, WatermarkStrategy } from '../../../client/index.ts';
import type { PollStatus, SourceOutput, SourceReader, SourceSplit } from '../../../common/connector/source.ts';
import { NatsSource } from '../../../connectors/nats/nats-source.ts';
import { parseNatsUri } from '../../../connectors/nats/nats-uri.ts';
import { SourceOperator } from '../../../taskmanager/operators/source-operator.ts';
import type { Output } from '../../../taskmanager/operators/stream-operator.ts';

/** Emits fixed (split, record, timestamp) entries in one poll. */
class TimedReader implements SourceReader<unknown> {
  constructor(private readonly entries: readonly [string, unknown, number][]) {}
  async open(): Promise<void> {}
  addSplits(): void {}
  pollNext(output: SourceOutput<unknown>): PollStatus {
    for (const [split, record, ts] of this.entries) {
      output.setSplit(split);
      output.collect(record, ts);
    }
    return 'end';
  }
  snapshotState(): SourceSplit[] {
    return [];
  }
  async available(): Promise<void> {}
  async close(): Promise<void> {}
}

class Captured implements Output {
  readonly records: [unknown, number][] = [];
  readonly watermarks: number[] = [];
  collect(record: unknown, timestamp: number): void {
    this.records.push([record, timestamp]);
  }
  collectSide(): void {}
  emitWatermark(watermark: number): void {
    this.watermarks.push(watermark);
  }
}

const SPLITS = [{ id: 'a' }, { id: 'b' }];
const ENTRIES: [string, { t: number }, number][] = [
  ['a', { t: 1 }, 1_000],
  ['b', { t: 2 }, 5_000],
  ['a', { t: 3 }, 9_000],
];

async function run(strategy: WatermarkStrategy<unknown>): Promise<Captured> {
  const output = new Captured();
  const operator = new SourceOperator(new TimedReader(ENTRIES), SPLITS, output, 'in', strategy.spec, () => 0);
  await operator.open();
  operator.poll(10);
  return output;
}

describe('source timestamps', () => {
  it('stamp records and drive per-split watermarks without an assigner', async () => {
    const output = await run(WatermarkStrategy.forBoundedOutOfOrderness(100));
    expect(output.records).toEqual([
      [{ t: 1 }, 1_000],
      [{ t: 2 }, 5_000],
      [{ t: 3 }, 9_000],
    ]);
    // The minimum over both splits: b's 5 000 holds it once a has moved past it.
    expect(output.watermarks).toEqual([899, 4_899]);
  });

  it('lose to the job\'s timestamp assigner', async () => {
    const output = await run(WatermarkStrategy.forBoundedOutOfOrderness<unknown>(0).withTimestampAssigner((r) => (r as { t: number }).t));
    expect(output.records.map(([, ts]) => ts)).toEqual([1, 2, 3]);
  });

  it('let a timestamped source take a watermark strategy without an assigner, and no other', () => {
    const env = new StreamExecutionEnvironment();
    const nats = new NatsSource(parseNatsUri('nats://127.0.0.1:4222/S', ['start', 'bounded', 'headers', 'rate']));
    expect(() => env.fromSource(nats, WatermarkStrategy.forBoundedOutOfOrderness(1_000), 'in')).not.toThrow();
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(1_000).validate()).toThrow(/needs withTimestampAssigner/);
  });
});
