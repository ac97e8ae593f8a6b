/**
 * The core property of local window aggregation: a local phase piped into a window operator that
 * merges its partials emits exactly what a window operator fed the raw stream emits (same results,
 * at the same watermarks, with the same timestamps) and drops the same number of late records,
 * over random out-of-order streams with late records, tumbling and sliding windows, random
 * flushes (as idle inputs cause), random checkpoints after which a fresh local phase restored from
 * the snapshot takes over, and small buffers. Also: a partial for a window the window operator
 * already cleaned up is dropped and counted with the records it folded.
 */
import { describe, expect, it } from 'vitest';
import { fromCollection } from '../../../connectors/index.ts';
import { StreamExecutionEnvironment, type EnvironmentOptions } from '../../../client/api/environment.ts';
import type { AggregateFunction } from '../../../client/api/state.ts';
import type { StreamNode } from '../../../common/graph/stream-graph.ts';
import type { TimeWindow } from '../../../client/api/windowing/time-window.ts';
import { isWindowPartial, type LocalAggregateEnvelope, type LocalWindowAggregateSpec, type WindowPartial } from '../../../client/api/windowing/local-window-aggregation.ts';
import { SlidingEventTimeWindows } from '../../../client/api/windowing/sliding-windows.ts';
import { TumblingEventTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import type { WindowAssigner } from '../../../client/api/windowing/window-assigner.ts';
import type { WindowSpec } from '../../../client/api/windowing/window-spec.ts';
import { LocalWindowAggregateOperator } from '../../../taskmanager/operators/window/local-window-aggregate-operator.ts';
import type { Output, RestoredOperatorState } from '../../../taskmanager/operators/stream-operator.ts';
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { redistributeOperatorState } from '../../support/checkpointed-operator-state.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';
import { emitted, openNode, sortedByJson, windowNode, type WindowFixture } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

/** Count, sum and min, plus the first and last value in arrival order (so that order matters). */
interface Stats {
  count: number;
  sum: number;
  min: number | null;
  first: number | null;
  last: number | null;
}

const stats: AggregateFunction<Event, Stats, Stats> = {
  createAccumulator: () => ({ count: 0, sum: 0, min: null, first: null, last: null }),
  add: (e, acc) => ({
    count: acc.count + 1,
    sum: acc.sum + e.v,
    min: acc.min === null ? e.v : Math.min(acc.min, e.v),
    first: acc.first ?? e.v,
    last: e.v,
  }),
  getResult: (acc) => ({ ...acc }),
  merge: (a, b) => ({
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min),
    first: a.first ?? b.first,
    last: b.last ?? a.last,
  }),
};

/** A small seeded PRNG (mulberry32): the same seed gives the same stream. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What happens to both pipelines, in order. */
type Step =
  | { readonly kind: 'record'; readonly event: Event; readonly timestamp: number }
  | { readonly kind: 'watermark'; readonly watermark: number }
  | { readonly kind: 'flush' }
  | { readonly kind: 'checkpoint' };

/**
 * A few hundred records of a handful of keys, event time moving forward with up to `disorder` ms
 * of disorder; watermarks at random points, often at a window's max timestamp (windows end on
 * `boundaries`), sometimes behind the disorder (so that some records are late), monotone; and
 * random flushes and checkpoints of the local phase.
 */
function randomSteps(seed: number, records: number, disorder: number, boundaries: { every: number; offset: number }): Step[] {
  const random = prng(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const keys = ['a', 'b', 'c', 'd', 'e'].slice(0, 2 + int(4));
  const steps: Step[] = [];
  let now = 10_000 + int(1_000);
  let maxSeen = Number.NEGATIVE_INFINITY;
  let watermark = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < records; i++) {
    now += int(40);
    const timestamp = now - int(disorder);
    maxSeen = Math.max(maxSeen, timestamp);
    steps.push({ kind: 'record', event: { key: keys[int(keys.length)]!, v: int(201) - 100 }, timestamp });
    const r = random();
    if (r < 0.12) {
      // Bounded out-of-orderness, with a bound that is sometimes below the actual disorder.
      let next = maxSeen - int(disorder);
      // Half of them land on a window's max timestamp, where `<` and `<=` part ways.
      if (random() < 0.5) next = Math.floor((next - boundaries.offset) / boundaries.every) * boundaries.every + boundaries.offset - 1;
      if (next > watermark) {
        watermark = next;
        steps.push({ kind: 'watermark', watermark });
      }
    } else if (r < 0.14) {
      // A jump: everything seen so far is ended, the next records are late.
      watermark = Math.max(watermark + 1, maxSeen + int(200));
      steps.push({ kind: 'watermark', watermark });
    } else if (r < 0.2) {
      steps.push({ kind: random() < 0.5 ? 'flush' : 'checkpoint' });
    }
  }
  return steps;
}

/** An Output that hands a local phase's output to a window operator, as a chain and an exchange would. */
class PipeToWindow implements Output {
  partials = 0;
  unfolded = 0;
  /** Records folded into the partials that crossed. */
  foldedRecords = 0;
  /** Checkpoints the local phase took (each followed by a restore). */
  checkpoints = 0;

  constructor(private readonly window: OperatorHarness) {}

  collect(record: unknown, timestamp: number): void {
    const envelope = record as LocalAggregateEnvelope;
    if (isWindowPartial(envelope)) {
      this.partials++;
      this.foldedRecords += envelope[4];
      expect(timestamp).toBe(envelope[2] - 1);
    } else {
      this.unfolded++;
    }
    this.window.processElement(record, timestamp);
  }

  collectSide(tag: string): void {
    throw new Error(`the local phase has no side output; got one to ${tag}`);
  }

  emitWatermark(watermark: number): void {
    this.window.processWatermark(watermark);
  }
}

/** The window node `keyBy(key).window(assigner).aggregate(stats, ...)` builds in an environment with `options`. */
function defineWindow(options: EnvironmentOptions, assigner: WindowAssigner<Event, TimeWindow>, withProcess: boolean): StreamExecutionEnvironment {
  const env = new StreamExecutionEnvironment(options);
  const windowed = env
    .fromSource(fromCollection<Event>([]))
    .keyBy((e) => e.key)
    .window(assigner);
  if (withProcess) {
    windowed.aggregate(stats, {
      process: (key, ctx, values, out) => out.collect({ key, start: ctx.window.start, end: ctx.window.end, ...values[0]! }),
    });
  } else {
    windowed.aggregate(stats);
  }
  return env;
}

function localNode(env: StreamExecutionEnvironment): StreamNode {
  const nodes = env.graph.nodes.filter((n) => n.kind === 'localWindowAggregate');
  expect(nodes).toHaveLength(1);
  return nodes[0]!;
}

/** What a window operator emitted between consecutive watermarks, each segment sorted. */
function segment(fixture: WindowFixture): unknown[] {
  const out = sortedByJson(emitted(fixture.harness));
  fixture.harness.clearOutput();
  return out;
}

interface Scenario {
  readonly name: string;
  readonly assigner: () => WindowAssigner<Event, TimeWindow>;
  readonly maxEntries?: number;
  readonly withProcess: boolean;
  readonly disorder: number;
  /** Where windows end: every `every` ms from `offset`. */
  readonly boundaries: { every: number; offset: number };
}

const SCENARIOS: Scenario[] = [
  { name: 'tumbling 100 ms', assigner: () => TumblingEventTimeWindows.of(100), withProcess: true, disorder: 300, boundaries: { every: 100, offset: 0 } },
  { name: 'tumbling 100 ms, offset 30, maxEntries 3', assigner: () => TumblingEventTimeWindows.of(100, 30), maxEntries: 3, withProcess: false, disorder: 300, boundaries: { every: 100, offset: 30 } },
  { name: 'tumbling 250 ms, maxEntries 1', assigner: () => TumblingEventTimeWindows.of(250), maxEntries: 1, withProcess: true, disorder: 500, boundaries: { every: 250, offset: 0 } },
  { name: 'sliding 200/50 ms', assigner: () => SlidingEventTimeWindows.of(200, 50), withProcess: true, disorder: 300, boundaries: { every: 50, offset: 0 } },
  { name: 'sliding 200/50 ms, maxEntries 2', assigner: () => SlidingEventTimeWindows.of(200, 50), maxEntries: 2, withProcess: false, disorder: 400, boundaries: { every: 50, offset: 0 } },
  { name: 'sliding 150/40 ms, maxEntries 7', assigner: () => SlidingEventTimeWindows.of(150, 40), maxEntries: 7, withProcess: true, disorder: 250, boundaries: { every: 40, offset: 0 } },
];
const SEEDS = [1, 2, 3, 42, 2024];

interface Outcome {
  readonly segments: unknown[][];
  readonly watermarks: number[];
  readonly lateRecordsDropped: number;
}

/** Runs the raw stream through a window operator with no local phase. */
async function runRaw(scenario: Scenario, steps: readonly Step[]): Promise<Outcome> {
  const env = defineWindow({ localWindowAggregation: { enabled: false } }, scenario.assigner(), scenario.withProcess);
  expect(env.graph.nodes.some((n) => n.kind === 'localWindowAggregate')).toBe(false);
  const fixture = await openNode(windowNode(env));
  const { harness } = fixture;
  const segments: unknown[][] = [];
  const watermarks: number[] = [];
  for (const step of steps) {
    if (step.kind === 'record') harness.processElement(step.event, step.timestamp);
    else if (step.kind === 'watermark') {
      harness.processWatermark(step.watermark);
      watermarks.push(...harness.output.watermarks);
      segments.push(segment(fixture));
      await harness.flush();
    }
  }
  harness.processWatermark(Number.POSITIVE_INFINITY);
  watermarks.push(...harness.output.watermarks);
  segments.push(segment(fixture));
  const lateRecordsDropped = harness.operator.lateRecordsDropped;
  await harness.finishAndClose();
  expect(harness.output.records).toEqual([]);
  return { segments, watermarks, lateRecordsDropped };
}

/** Runs the stream through a local phase piped into a window operator that merges partials. */
async function runLifted(scenario: Scenario, steps: readonly Step[]): Promise<Outcome & { pipe: PipeToWindow; partialsEmitted: number }> {
  const env = defineWindow({ localWindowAggregation: { maxEntries: scenario.maxEntries } }, scenario.assigner(), scenario.withProcess);
  const node = windowNode(env);
  expect((node.spec as WindowSpec).locallyAggregated).toBe(true);
  const localSpec = localNode(env).spec as LocalWindowAggregateSpec;
  expect(localSpec.maxEntries).toBe(scenario.maxEntries ?? 16_384);
  const fixture = await openNode(node);
  const window = fixture.harness;
  const pipe = new PipeToWindow(window);
  const openLocal = (restoredState?: RestoredOperatorState): Promise<OperatorHarness<LocalWindowAggregateOperator>> =>
    OperatorHarness.open((setup) => new LocalWindowAggregateOperator({ ...setup, output: pipe }, localSpec), { restoredState });
  let local = await openLocal();
  let partialsEmitted = 0;
  let watermark: number | undefined;
  const segments: unknown[][] = [];
  const watermarks: number[] = [];
  for (const step of steps) {
    if (step.kind === 'record') local.processElement(step.event, step.timestamp);
    else if (step.kind === 'flush') local.operator.emitHeldRecords();
    else if (step.kind === 'checkpoint') {
      // The snapshot sends nothing; a fresh local phase restored from it (through a checkpoint's
      // encoding) takes over, as after a failure right behind the checkpoint. It
      // gets the watermark the window operator has, which a restored pipeline would rebuild
      // together; that watermark ends none of the restored windows.
      const crossed = pipe.partials;
      const [restored] = redistributeOperatorState([local.operator.snapshotState()], 1);
      expect(pipe.partials).toBe(crossed);
      partialsEmitted += local.operator.partialsEmitted;
      await local.close();
      local = await openLocal(restored);
      if (watermark !== undefined) local.processWatermark(watermark);
      expect(pipe.partials).toBe(crossed);
      pipe.checkpoints++;
    } else {
      watermark = step.watermark;
      local.processWatermark(step.watermark);
      watermarks.push(...window.output.watermarks);
      segments.push(segment(fixture));
      await window.flush();
    }
  }
  // End of input of the local phase: the final watermark, then finish.
  await local.finishAndClose();
  watermarks.push(...window.output.watermarks);
  segments.push(segment(fixture));
  const lateRecordsDropped = window.operator.lateRecordsDropped;
  await window.finishAndClose();
  expect(window.output.records).toEqual([]);
  return { segments, watermarks, lateRecordsDropped, pipe, partialsEmitted: partialsEmitted + local.operator.partialsEmitted };
}

describe('local window aggregation is equivalent to none', () => {
  const totals = { partials: 0, unfolded: 0, late: 0, results: 0, checkpoints: 0, runs: 0 };

  describe.each(SCENARIOS)('$name', (scenario) => {
    it.each(SEEDS)('seed %i', async (seed) => {
      const steps = randomSteps(seed * 7919 + scenario.disorder, 300, scenario.disorder, scenario.boundaries);
      const raw = await runRaw(scenario, steps);
      const lifted = await runLifted(scenario, steps);

      expect(lifted.segments).toEqual(raw.segments);
      expect(lifted.watermarks).toEqual(raw.watermarks);
      expect(lifted.lateRecordsDropped).toBe(raw.lateRecordsDropped);

      // The run exercised the local phase, and every record crossed folded or unfolded.
      const { pipe } = lifted;
      expect(pipe.partials).toBeGreaterThan(0);
      expect(lifted.partialsEmitted).toBe(pipe.partials);
      const records = steps.filter((s) => s.kind === 'record').length;
      expect(pipe.unfolded).toBeLessThanOrEqual(records);
      if (scenario.assigner() instanceof TumblingEventTimeWindows) {
        // A tumbling record is either folded into one partial or sent unfolded.
        expect(pipe.foldedRecords + pipe.unfolded).toBe(records);
      }
      totals.partials += pipe.partials;
      totals.unfolded += pipe.unfolded;
      totals.late += raw.lateRecordsDropped;
      totals.results += raw.segments.flat().length;
      totals.checkpoints += pipe.checkpoints;
      totals.runs++;
    });
  });

  it('covered late records, unfolded records and results in the runs above', (ctx) => {
    // Guards against a generator that makes the property hold trivially (when all runs ran).
    if (totals.runs !== SCENARIOS.length * SEEDS.length) ctx.skip();
    expect(totals.late).toBeGreaterThan(0);
    expect(totals.unfolded).toBeGreaterThan(0);
    expect(totals.results).toBeGreaterThan(totals.runs * 10);
    expect(totals.checkpoints).toBeGreaterThan(totals.runs * 3);
  });

  it('sends fewer envelopes than records across the exchange with a large buffer', async () => {
    const scenario: Scenario = {
      name: 'tumbling',
      assigner: () => TumblingEventTimeWindows.of(1_000),
      withProcess: false,
      disorder: 100,
      boundaries: { every: 1_000, offset: 0 },
    };
    const steps = randomSteps(7, 400, scenario.disorder, scenario.boundaries).filter((s) => s.kind !== 'flush' && s.kind !== 'checkpoint');
    const raw = await runRaw(scenario, steps);
    const lifted = await runLifted(scenario, steps);
    expect(lifted.segments).toEqual(raw.segments);
    expect(lifted.pipe.partials + lifted.pipe.unfolded).toBeLessThan(400 / 4);
  });
});

describe('a record without a timestamp', () => {
  it('fails the window operator the same way with and without a local phase', async () => {
    const scenario: Scenario = {
      name: 'tumbling',
      assigner: () => TumblingEventTimeWindows.of(100),
      withProcess: false,
      disorder: 0,
      boundaries: { every: 100, offset: 0 },
    };
    const steps: Step[] = [
      { kind: 'record', event: { key: 'a', v: 1 }, timestamp: 50 },
      { kind: 'record', event: { key: 'a', v: 2 }, timestamp: NO_TIMESTAMP },
    ];
    const failure = async (run: () => Promise<unknown>): Promise<string> => {
      try {
        await run();
      } catch (error) {
        return String(error);
      }
      throw new Error('expected the run to fail');
    };
    const raw = await failure(() => runRaw(scenario, steps));
    const lifted = await failure(() => runLifted(scenario, steps));
    expect(raw).toMatch(/timestamp/i);
    expect(lifted).toBe(raw);
  });
});

describe('a partial for a window already cleaned up', () => {
  async function openMerging(): Promise<WindowFixture> {
    const env = defineWindow({}, TumblingEventTimeWindows.of(10_000), false);
    return openNode(windowNode(env));
  }

  function partialOf(key: string, start: number, events: readonly number[]): WindowPartial {
    let acc = stats.createAccumulator();
    for (const v of events) acc = stats.add({ key, v }, acc);
    return [key, start, start + 10_000, acc, events.length];
  }

  it('is dropped and counted with the number of records it folded', async () => {
    const fixture = await openMerging();
    const { harness } = fixture;
    harness.processElement(partialOf('a', 0, [1, 2]), 9_999);
    harness.processWatermark(10_000);
    expect(emitted(harness)).toEqual([[{ count: 2, sum: 3, min: 1, first: 1, last: 2 }, 9_999]]);
    harness.clearOutput();

    // The window [0, 10000) fired and was cleaned up: a partial of 7 records for it is late.
    harness.processElement(partialOf('a', 0, [1, 2, 3, 4, 5, 6, 7]), 9_999);
    harness.processElement(partialOf('b', 0, [9, 9, 9]), 9_999);
    expect(harness.operator.lateRecordsDropped).toBe(10);
    // So is an unfolded record of that window, counted once.
    harness.processElement(['a', { key: 'a', v: 5 }], 5_000);
    expect(harness.operator.lateRecordsDropped).toBe(11);
    // A partial of a window still open is merged with the records of that window.
    harness.processElement(partialOf('a', 10_000, [4]), 19_999);
    harness.processElement(['a', { key: 'a', v: -3 }], 15_000);
    harness.processElement(partialOf('a', 10_000, [8, 2]), 19_999);
    harness.processWatermark(19_999);
    expect(emitted(harness)).toEqual([[{ count: 4, sum: 11, min: -3, first: 4, last: 2 }, 19_999]]);
    expect(harness.operator.lateRecordsDropped).toBe(11);
  });

  it('is late once the watermark reaches its max timestamp, as a record of that window would be', async () => {
    const { harness } = await openMerging();
    harness.processWatermark(9_999);
    harness.processElement(partialOf('a', 0, [1, 2, 3]), 9_999);
    expect(harness.operator.lateRecordsDropped).toBe(3);
    expect(emitted(harness)).toEqual([]);
    harness.processElement(partialOf('a', 10_000, [1, 2, 3]), 19_999);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(emitted(harness)).toEqual([[{ count: 3, sum: 6, min: 1, first: 1, last: 3 }, 19_999]]);
    expect(harness.operator.lateRecordsDropped).toBe(3);
  });

  it('results from an input that turned active again behind the others’ watermark', async () => {
    // Two local phases feed one window operator, whose watermark is the minimum of theirs; the
    // second is idle (excluded from the minimum) until it sends records for an ended window.
    const env = defineWindow({}, TumblingEventTimeWindows.of(10_000), false);
    const spec = localNode(env).spec as LocalWindowAggregateSpec;
    const { harness: window } = await openNode(windowNode(env));
    const watermarks = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const active = [true, false];
    const combined = (): number => Math.min(...watermarks.filter((_, i) => active[i]));
    const pipe = (input: number): Output => ({
      collect: (record, timestamp) => window.processElement(record, timestamp),
      collectSide: () => undefined,
      emitWatermark: (wm) => {
        watermarks[input] = wm;
        window.processWatermark(combined());
      },
    });
    const locals = await Promise.all(
      [0, 1].map((i) => OperatorHarness.open((setup) => new LocalWindowAggregateOperator({ ...setup, output: pipe(i) }, spec as LocalWindowAggregateSpec))),
    );
    const [first, second] = locals as [OperatorHarness<LocalWindowAggregateOperator>, OperatorHarness<LocalWindowAggregateOperator>];
    first.processElement({ key: 'a', v: 1 }, 1_000);
    first.processWatermark(15_000);
    expect(emitted(window)).toEqual([[{ count: 1, sum: 1, min: 1, first: 1, last: 1 }, 9_999]]);

    // The second input turns active with records of [0, 10000): its own watermark is behind, so it
    // folds them into a partial, which the window operator finds late as a whole.
    active[1] = true;
    second.processElement({ key: 'a', v: 2 }, 2_000);
    second.processElement({ key: 'a', v: 3 }, 3_000);
    second.processElement({ key: 'b', v: 4 }, 4_000);
    second.operator.emitHeldRecords();
    expect(second.operator.partialsEmitted).toBe(2);
    expect(window.operator.lateRecordsDropped).toBe(3);
    expect(emitted(window)).toHaveLength(1);
  });
});
