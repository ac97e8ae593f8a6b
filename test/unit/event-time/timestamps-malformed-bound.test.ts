/**
 * `assignTimestampsAndWatermarks` in the middle of a pipeline sends records it cannot stamp to the
 * malformed output, bounded per checkpoint interval (the sources' default, 64 MiB): past it the
 * operator fails, naming the limit; a checkpoint starts a new interval.
 */
import { describe, expect, it } from 'vitest';
import { WatermarkStrategy } from '../../../client/api/watermark-strategy.ts';
import { MALFORMED } from '../../../client/runtime.ts';
import { DEFAULT_MAX_MALFORMED_BYTES } from '../../../common/connector/source.ts';
import { TimestampsAndWatermarksOperator } from '../../../taskmanager/operators/timestamps-operator.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';

interface Event {
  ts: unknown;
  pad: string;
}

const MIB = 1024 * 1024;
const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Event>(0).withTimestampAssigner((e) => e.ts as number).spec as never;
/** A record whose timestamp is not a number, about 1 MiB as JSON. */
const unstampable: Event = { ts: 'x', pad: 'p'.repeat(MIB) };

async function open(): Promise<OperatorHarness<TimestampsAndWatermarksOperator>> {
  return OperatorHarness.open((setup) => new TimestampsAndWatermarksOperator(setup, strategy));
}

/** Feeds `n` unstampable records, dropping what reached the malformed output to keep memory flat. */
function feed(harness: OperatorHarness<TimestampsAndWatermarksOperator>, n: number): number {
  let reported = 0;
  for (let i = 0; i < n; i++) {
    harness.processElement(unstampable, 0);
    reported += harness.output.side.get(MALFORMED.id)?.length ?? 0;
    harness.output.side.clear();
  }
  return reported;
}

describe('the malformed output of assignTimestampsAndWatermarks', () => {
  it('fails the operator past the bound, naming it', async () => {
    expect(DEFAULT_MAX_MALFORMED_BYTES).toBe(64 * MIB);
    const harness = await open();
    expect(feed(harness, 63)).toBe(63);
    expect(() => feed(harness, 1)).toThrow(/operator "operator under test": the malformed output exceeded maxMalformedBytes \(67108864 bytes/);
  });

  it('starts a new interval at each checkpoint', async () => {
    const harness = await open();
    let reported = 0;
    for (let round = 0; round < 3; round++) {
      reported += feed(harness, 40);
      harness.operator.snapshotState();
    }
    expect(reported).toBe(120);
  });
});
