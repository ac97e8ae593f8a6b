/**
 * The local phase of a window aggregate in the operator harness: it folds records per key and
 * window, emits each window's partials (timestamped with the window's max timestamp) before the
 * watermark that ends the window, emits everything when its buffer is full, before a checkpoint
 * (`emitHeldRecords`) and at the end of input, and sends late and timestamp-less records unfolded
 * after their key's buffered partials.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AggregateFunction } from '../../../client/api/state.ts';
import type { Window } from '../../../client/api/windowing/global-window.ts';
import type { LocalAggregateEnvelope, WindowPartial } from '../../../client/api/windowing/local-window-aggregation.ts';
import { isWindowPartial } from '../../../client/api/windowing/local-window-aggregation.ts';
import { SlidingEventTimeWindows } from '../../../client/api/windowing/sliding-windows.ts';
import { TumblingEventTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import type { WindowAssigner } from '../../../client/api/windowing/window-assigner.ts';
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { LocalWindowAggregateOperator } from '../../../taskmanager/operators/window/local-window-aggregate-operator.ts';
import type { Output } from '../../../taskmanager/operators/stream-operator.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';
import { sortedByJson } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

/** Sum and the values in arrival order, so that a test sees exactly what was folded. */
interface Acc {
  sum: number;
  values: number[];
}

const collectValues: AggregateFunction<Event, Acc, Acc> = {
  createAccumulator: () => ({ sum: 0, values: [] }),
  add: (e, acc) => ({ sum: acc.sum + e.v, values: [...acc.values, e.v] }),
  getResult: (acc) => acc,
  merge: (a, b) => ({ sum: a.sum + b.sum, values: [...a.values, ...b.values] }),
};

/** What the operator emitted, records and watermarks interleaved in emission order. */
type Emission = { readonly record: LocalAggregateEnvelope; readonly timestamp: number } | { readonly watermark: number };

/** An Output that keeps records and watermarks in one log, so that their order can be checked. */
class InterleavingOutput implements Output {
  readonly log: Emission[] = [];

  collect(record: unknown, timestamp: number): void {
    this.log.push({ record: record as LocalAggregateEnvelope, timestamp });
  }

  collectSide(tag: string): void {
    throw new Error(`the local phase has no side output; got one to ${tag}`);
  }

  emitWatermark(watermark: number): void {
    this.log.push({ watermark });
  }

  /** The records emitted since the last call. */
  take(): Emission[] {
    return this.log.splice(0);
  }
}

interface Running {
  readonly harness: OperatorHarness<LocalWindowAggregateOperator>;
  readonly out: InterleavingOutput;
}

const open: OperatorHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close().catch(() => undefined);
});

async function openLocal(assigner: WindowAssigner<Event, Window>, maxEntries = 1_000): Promise<Running> {
  const out = new InterleavingOutput();
  const harness = await OperatorHarness.open(
    (setup) =>
      new LocalWindowAggregateOperator(
        { ...setup, output: out },
        {
          assigner: assigner as unknown as WindowAssigner<unknown, Window>,
          aggregate: collectValues as unknown as AggregateFunction<unknown, unknown, unknown>,
          keySelector: (e) => (e as Event).key,
          maxEntries,
        },
      ),
  );
  open.push(harness);
  return { harness, out };
}

function partial(key: string, start: number, end: number, values: number[]): Emission {
  const acc: Acc = { sum: values.reduce((a, b) => a + b, 0), values };
  const record: WindowPartial = [key, start, end, acc, values.length];
  return { record, timestamp: end - 1 };
}

function unfolded(e: Event, timestamp: number): Emission {
  return { record: [e.key, e], timestamp };
}

function sorted(emissions: Emission[]): Emission[] {
  return sortedByJson(emissions);
}

const ev = (key: string, v: number): Event => ({ key, v });

describe('LocalWindowAggregateOperator', () => {
  it('folds per key and window, and emits the partials of ended windows before the watermark', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(10_000));
    harness.processElement(ev('a', 1), 1_000);
    harness.processElement(ev('b', 10), 2_000);
    harness.processElement(ev('a', 2), 12_000);
    harness.processElement(ev('a', 4), 9_999);
    harness.processElement(ev('b', 20), 0);
    harness.processElement(ev('a', 8), 10_000);
    expect(out.take()).toEqual([]);
    expect(harness.operator.partialsEmitted).toBe(0);

    harness.processWatermark(9_998);
    expect(out.take()).toEqual([{ watermark: 9_998 }]);

    harness.processWatermark(9_999);
    const log = out.take();
    // Partials of [0, 10000) first (any order among keys), then the watermark.
    expect(log.at(-1)).toEqual({ watermark: 9_999 });
    expect(sorted(log.slice(0, -1))).toEqual(sorted([partial('a', 0, 10_000, [1, 4]), partial('b', 0, 10_000, [10, 20])]));
    expect(harness.operator.partialsEmitted).toBe(2);

    // A watermark that does not advance is neither forwarded nor emits anything.
    harness.processWatermark(9_000);
    expect(out.take()).toEqual([]);

    harness.processWatermark(30_000);
    expect(out.take()).toEqual([partial('a', 10_000, 20_000, [2, 8]), { watermark: 30_000 }]);
    expect(harness.operator.partialsEmitted).toBe(3);
  });

  it('emits only the windows a watermark ends, whatever order the windows were opened in', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000));
    // Buffers are created out of order: 5000, 1000, 3000, 2000.
    harness.processElement(ev('k', 5), 5_500);
    harness.processElement(ev('k', 1), 1_500);
    harness.processElement(ev('k', 3), 3_500);
    harness.processElement(ev('k', 2), 2_500);
    harness.processWatermark(2_999);
    const log = out.take();
    expect(log.at(-1)).toEqual({ watermark: 2_999 });
    expect(sorted(log.slice(0, -1))).toEqual(sorted([partial('k', 1_000, 2_000, [1]), partial('k', 2_000, 3_000, [2])]));
    harness.processWatermark(4_000);
    expect(out.take()).toEqual([partial('k', 3_000, 4_000, [3]), { watermark: 4_000 }]);
    // A record for a window the watermark has not ended yet still folds.
    harness.processElement(ev('k', 4), 4_000);
    harness.processElement(ev('k', 6), 5_999);
    harness.processWatermark(5_999);
    const last = out.take();
    expect(last.at(-1)).toEqual({ watermark: 5_999 });
    expect(sorted(last.slice(0, -1))).toEqual(sorted([partial('k', 4_000, 5_000, [4]), partial('k', 5_000, 6_000, [5, 6])]));
  });

  it('folds a record into each of its sliding windows', async () => {
    const { harness, out } = await openLocal(SlidingEventTimeWindows.of(3_000, 1_000));
    harness.processElement(ev('a', 1), 2_500); // [0,3000) [1000,4000) [2000,5000)
    harness.processElement(ev('a', 2), 3_000); // [1000,4000) [2000,5000) [3000,6000)
    harness.processElement(ev('b', 4), 2_000); // [0,3000) [1000,4000) [2000,5000)
    harness.processWatermark(Number.MAX_SAFE_INTEGER);
    const log = out.take();
    expect(log.at(-1)).toEqual({ watermark: Number.MAX_SAFE_INTEGER });
    expect(sorted(log.slice(0, -1))).toEqual(
      sorted([
        partial('a', 0, 3_000, [1]),
        partial('a', 1_000, 4_000, [1, 2]),
        partial('a', 2_000, 5_000, [1, 2]),
        partial('a', 3_000, 6_000, [2]),
        partial('b', 0, 3_000, [4]),
        partial('b', 1_000, 4_000, [4]),
        partial('b', 2_000, 5_000, [4]),
      ]),
    );
    expect(harness.operator.partialsEmitted).toBe(7);
  });

  it('emits everything when the buffer holds maxEntries partials', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000), 3);
    harness.processElement(ev('a', 1), 100);
    harness.processElement(ev('a', 2), 200); // same slot
    harness.processElement(ev('b', 3), 300);
    expect(out.take()).toEqual([]);
    harness.processElement(ev('a', 4), 1_100); // third slot: the buffer is full
    expect(sorted(out.take())).toEqual(sorted([partial('a', 0, 1_000, [1, 2]), partial('b', 0, 1_000, [3]), partial('a', 1_000, 2_000, [4])]));
    expect(harness.operator.partialsEmitted).toBe(3);

    // It starts empty again: two more slots do not fill it.
    harness.processElement(ev('a', 5), 150);
    harness.processElement(ev('c', 6), 160);
    expect(out.take()).toEqual([]);
    harness.processElement(ev('c', 7), 170);
    expect(out.take()).toEqual([]);
    harness.processElement(ev('d', 8), 180);
    expect(sorted(out.take())).toEqual(sorted([partial('a', 0, 1_000, [5]), partial('c', 0, 1_000, [6, 7]), partial('d', 0, 1_000, [8])]));
  });

  it('counts a sliding record once per window towards maxEntries', async () => {
    const { harness, out } = await openLocal(SlidingEventTimeWindows.of(2_000, 1_000), 4);
    harness.processElement(ev('a', 1), 1_500); // 2 slots
    expect(out.take()).toEqual([]);
    harness.processElement(ev('b', 2), 1_500); // 4 slots: full
    expect(out.take()).toHaveLength(4);
  });

  it('emitHeldRecords emits every buffered partial and leaves the buffer empty', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000), 4);
    harness.processElement(ev('a', 1), 100);
    harness.processElement(ev('b', 2), 1_100);
    harness.processElement(ev('a', 3), 2_100);
    harness.operator.emitHeldRecords();
    expect(sorted(out.take())).toEqual(sorted([partial('a', 0, 1_000, [1]), partial('b', 1_000, 2_000, [2]), partial('a', 2_000, 3_000, [3])]));
    expect(harness.operator.partialsEmitted).toBe(3);

    harness.operator.emitHeldRecords();
    expect(out.take()).toEqual([]);
    // Nothing held back: a watermark past every window emits nothing but itself.
    harness.processWatermark(10_000);
    expect(out.take()).toEqual([{ watermark: 10_000 }]);

    // The entry count went back to zero: three new slots do not reach maxEntries (4).
    harness.processElement(ev('a', 4), 10_100);
    harness.processElement(ev('b', 5), 10_200);
    harness.processElement(ev('c', 6), 11_200);
    expect(out.take()).toEqual([]);
    // And the same window folds on after a flush, into a new partial.
    harness.operator.emitHeldRecords();
    harness.processElement(ev('a', 7), 10_300);
    harness.operator.emitHeldRecords();
    expect(out.take().slice(-1)).toEqual([partial('a', 10_000, 11_000, [7])]);
  });

  it('emits what is left at the end of input', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000));
    harness.processElement(ev('a', 1), 100);
    harness.processElement(ev('b', 2), 5_100);
    harness.processWatermark(999);
    expect(out.take()).toEqual([partial('a', 0, 1_000, [1]), { watermark: 999 }]);
    await harness.finishAndClose();
    open.splice(open.indexOf(harness), 1);
    expect(out.take()).toEqual([partial('b', 5_000, 6_000, [2]), { watermark: Number.POSITIVE_INFINITY }]);
  });

  it('finish emits the buffer even without a final watermark', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000));
    harness.processElement(ev('a', 1), 100);
    harness.processElement(ev('a', 2), 1_100);
    await harness.operator.finish();
    expect(sorted(out.take())).toEqual(sorted([partial('a', 0, 1_000, [1]), partial('a', 1_000, 2_000, [2])]));
  });

  it('sends a late record unfolded, after its key’s buffered partials, leaving other keys buffered', async () => {
    // Windows of 10 s every 5 s: a record at 7000 is in [0,10000) and [5000,15000).
    const { harness, out } = await openLocal(SlidingEventTimeWindows.of(10_000, 5_000));
    harness.processElement(ev('a', 1), 7_000);
    harness.processElement(ev('b', 2), 8_000);
    harness.processWatermark(9_999);
    const ended = out.take();
    expect(ended.at(-1)).toEqual({ watermark: 9_999 });
    expect(sorted(ended.slice(0, -1))).toEqual(sorted([partial('a', 0, 10_000, [1]), partial('b', 0, 10_000, [2])]));

    // a@6000 belongs to [0,10000), which the watermark ended, and to [5000,15000), still open.
    harness.processElement(ev('a', 3), 6_000);
    expect(out.take()).toEqual([partial('a', 5_000, 15_000, [1]), unfolded(ev('a', 3), 6_000)]);

    // The key's next records fold again, into a new partial; b's partial was never touched.
    harness.processElement(ev('a', 4), 11_000);
    expect(out.take()).toEqual([]);
    harness.processWatermark(14_999);
    const rest = out.take();
    expect(rest.at(-1)).toEqual({ watermark: 14_999 });
    expect(sorted(rest.slice(0, -1))).toEqual(sorted([partial('a', 5_000, 15_000, [4]), partial('b', 5_000, 15_000, [2])]));
    expect(harness.operator.partialsEmitted).toBe(5);
  });

  it('sends a record whose only window ended unfolded, emitting the key’s partials of every window first', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000));
    harness.processElement(ev('a', 1), 1_100);
    harness.processElement(ev('a', 2), 2_100);
    harness.processElement(ev('b', 3), 1_200);
    harness.processWatermark(1_000);
    expect(out.take()).toEqual([{ watermark: 1_000 }]);
    harness.processElement(ev('a', 4), 999); // [0,1000) ended at 999 <= 1000
    const log = out.take();
    expect(log.at(-1)).toEqual(unfolded(ev('a', 4), 999));
    expect(sorted(log.slice(0, -1))).toEqual(sorted([partial('a', 1_000, 2_000, [1]), partial('a', 2_000, 3_000, [2])]));
    // A late record of a key with nothing buffered goes alone.
    harness.processElement(ev('c', 5), 0);
    expect(out.take()).toEqual([unfolded(ev('c', 5), 0)]);
    harness.operator.emitHeldRecords();
    expect(out.take()).toEqual([partial('b', 1_000, 2_000, [3])]);
  });

  it('treats a record at the watermark as late and one just after it as on time', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000));
    harness.processWatermark(1_999);
    out.take();
    harness.processElement(ev('a', 1), 1_999); // [1000,2000): max timestamp 1999 <= watermark
    harness.processElement(ev('a', 2), 2_000); // [2000,3000): open
    expect(out.take()).toEqual([unfolded(ev('a', 1), 1_999)]);
    harness.operator.emitHeldRecords();
    expect(out.take()).toEqual([partial('a', 2_000, 3_000, [2])]);
  });

  it('passes a record without a timestamp unfolded, after its key’s partials', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000));
    harness.processElement(ev('a', 1), 100);
    harness.processElement(ev('b', 2), 100);
    harness.processElement(ev('a', 3), NO_TIMESTAMP);
    expect(out.take()).toEqual([partial('a', 0, 1_000, [1]), unfolded(ev('a', 3), NO_TIMESTAMP)]);
    harness.operator.emitHeldRecords();
    expect(out.take()).toEqual([partial('b', 0, 1_000, [2])]);
  });

  it('emits envelopes the window side tells apart', async () => {
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000));
    harness.processWatermark(5_000);
    harness.processElement(ev('a', 1), 100);
    harness.processElement(ev('a', 2), 5_100);
    harness.operator.emitHeldRecords();
    const records = out.take().flatMap((e) => ('record' in e ? [e.record] : []));
    expect(records.map(isWindowPartial)).toEqual([false, true]);
  });
});
