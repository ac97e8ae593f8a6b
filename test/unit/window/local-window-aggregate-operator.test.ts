/**
 * The local phase of a window aggregate in the operator harness: it folds records per key and
 * window, emits each window's partials (timestamped with the window's max timestamp) before the
 * watermark that ends the window, emits everything when its buffer is full, when the task turns
 * idle (`emitHeldRecords`) and at the end of input, and sends late and timestamp-less records
 * unfolded after their key's buffered partials. A checkpoint keeps the buffer as operator state,
 * which a restored subtask, or several after rescaling, emit as the original would have.
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
import { LOCAL_WINDOW_PARTIALS_STATE, LocalWindowAggregateOperator } from '../../../taskmanager/operators/window/local-window-aggregate-operator.ts';
import type { Output, RestoredOperatorState } from '../../../taskmanager/operators/stream-operator.ts';
import { redistributeOperatorState as redistribute } from '../../support/checkpointed-operator-state.ts';
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

async function openLocal(assigner: WindowAssigner<Event, Window>, maxEntries = 1_000, restoredState?: RestoredOperatorState): Promise<Running> {
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
    { restoredState },
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

  it('keeps the buffer through a checkpoint, and a restored subtask emits what the original would', async () => {
    const events: [Event, number][] = [
      [ev('a', 1), 100],
      [ev('b', 2), 200],
      [ev('a', 3), 1_100],
      [ev('c', 4), 1_900],
    ];
    const original = await openLocal(TumblingEventTimeWindows.of(1_000));
    for (const [e, ts] of events) original.harness.processElement(e, ts);
    const snapshot = original.harness.operator.snapshotState();
    expect(original.out.take()).toEqual([]);
    expect(original.harness.operator.partialsEmitted).toBe(0);
    // One entry per buffered window.
    expect(snapshot[LOCAL_WINDOW_PARTIALS_STATE]?.entries).toHaveLength(2);

    const [state] = redistribute([snapshot], 1);
    const restored = await openLocal(TumblingEventTimeWindows.of(1_000), 1_000, state);
    // Both go on with the same input: the restored one folds into the restored accumulators.
    for (const run of [original, restored]) {
      run.harness.processElement(ev('a', 5), 1_500);
      run.harness.processWatermark(999);
    }
    const firstWindow = [partial('a', 0, 1_000, [1]), partial('b', 0, 1_000, [2])];
    expect(sorted(original.out.take())).toEqual(sorted([...firstWindow, { watermark: 999 }]));
    expect(sorted(restored.out.take())).toEqual(sorted([...firstWindow, { watermark: 999 }]));
    for (const run of [original, restored]) await run.harness.operator.finish();
    const secondWindow = sorted([partial('a', 1_000, 2_000, [3, 5]), partial('c', 1_000, 2_000, [4])]);
    expect(sorted(original.out.take())).toEqual(secondWindow);
    expect(sorted(restored.out.take())).toEqual(secondWindow);
  });

  it('snapshots an empty buffer as an empty list and restores nothing from it', async () => {
    const { harness } = await openLocal(TumblingEventTimeWindows.of(1_000));
    expect(harness.operator.snapshotState()).toEqual({ [LOCAL_WINDOW_PARTIALS_STATE]: { mode: 'split', entries: [] } });
    const restored = await openLocal(TumblingEventTimeWindows.of(1_000), 1_000, { [LOCAL_WINDOW_PARTIALS_STATE]: [] });
    await restored.harness.operator.finish();
    expect(restored.out.take()).toEqual([]);
  });

  it('after rescaling, merges the accumulators of one key and window that several old subtasks held', async () => {
    const olds = [await openLocal(TumblingEventTimeWindows.of(1_000)), await openLocal(TumblingEventTimeWindows.of(1_000))];
    olds[0]!.harness.processElement(ev('a', 1), 100);
    olds[0]!.harness.processElement(ev('b', 2), 1_100);
    olds[1]!.harness.processElement(ev('a', 3), 200);
    olds[1]!.harness.processElement(ev('c', 4), 300);
    const snapshots = olds.map((o) => o.harness.operator.snapshotState());
    const expected = sorted([partial('a', 0, 1_000, [1, 3]), partial('c', 0, 1_000, [4]), partial('b', 1_000, 2_000, [2])]);

    // Down to one subtask: the two entries of [0, 1000) merge per key.
    const [single] = redistribute(snapshots, 1);
    const merged = await openLocal(TumblingEventTimeWindows.of(1_000), 1_000, single);
    await merged.harness.operator.finish();
    expect(sorted(merged.out.take())).toEqual(expected);
    expect(merged.harness.operator.partialsEmitted).toBe(3);

    // Up to three: the entries are dealt out, and together the subtasks emit the same partials.
    const dealt = redistribute(snapshots, 3);
    expect(dealt.map((d) => d[LOCAL_WINDOW_PARTIALS_STATE]?.length)).toEqual([1, 1, 1]);
    const emittedByAll: Emission[] = [];
    for (const state of dealt) {
      const run = await openLocal(TumblingEventTimeWindows.of(1_000), 1_000, state);
      await run.harness.operator.finish();
      emittedByAll.push(...run.out.take());
    }
    // a's accumulators of [0, 1000) are on two subtasks: the window operator merges them.
    expect(sorted(emittedByAll)).toEqual(sorted([partial('a', 0, 1_000, [1]), partial('a', 0, 1_000, [3]), partial('c', 0, 1_000, [4]), partial('b', 1_000, 2_000, [2])]));
  });

  it('emits a restored buffer larger than maxEntries with the next record', async () => {
    const olds = [await openLocal(TumblingEventTimeWindows.of(1_000)), await openLocal(TumblingEventTimeWindows.of(1_000))];
    olds[0]!.harness.processElement(ev('a', 1), 100);
    olds[0]!.harness.processElement(ev('b', 2), 100);
    olds[1]!.harness.processElement(ev('c', 3), 100);
    const [state] = redistribute(
      olds.map((o) => o.harness.operator.snapshotState()),
      1,
    );
    const { harness, out } = await openLocal(TumblingEventTimeWindows.of(1_000), 3, state);
    expect(out.take()).toEqual([]);
    harness.processElement(ev('d', 4), 200);
    expect(sorted(out.take())).toEqual(sorted([partial('a', 0, 1_000, [1]), partial('b', 0, 1_000, [2]), partial('c', 0, 1_000, [3]), partial('d', 0, 1_000, [4])]));
  });

  it('restores accumulators exactly as keyed state would store them, not as JSON would', async () => {
    const odd: AggregateFunction<Event, unknown, unknown> = {
      createAccumulator: () => ({ nan: Number.NaN, infinite: Number.NEGATIVE_INFINITY, nested: [[-0.5], { deep: 'x' }] }),
      add: (_e, acc) => acc,
      getResult: (acc) => acc,
      merge: (a) => a,
    };
    const open = async (state?: RestoredOperatorState): Promise<Running> => {
      const out = new InterleavingOutput();
      const harness = await OperatorHarness.open(
        (setup) =>
          new LocalWindowAggregateOperator(
            { ...setup, output: out },
            { assigner: TumblingEventTimeWindows.of(1_000) as unknown as WindowAssigner<unknown, Window>, aggregate: odd as AggregateFunction<unknown, unknown, unknown>, keySelector: (e) => (e as Event).key, maxEntries: 10 },
          ),
        { restoredState: state },
      );
      return { harness, out };
    };
    const original = await open();
    original.harness.processElement(ev('a', 1), 100);
    const [state] = redistribute([original.harness.operator.snapshotState()], 1);
    const restored = await open(state);
    await restored.harness.operator.finish();
    await original.harness.operator.finish();
    const [before] = original.out.take();
    const [after] = restored.out.take();
    expect(after).toEqual(before);
    // JSON would have turned both into null.
    const accumulator = (after as { record: WindowPartial }).record[3] as { nan: number; infinite: number };
    expect(accumulator.nan).toBeNaN();
    expect(accumulator.infinite).toBe(Number.NEGATIVE_INFINITY);
    await original.harness.close();
    await restored.harness.close();
  });
});
