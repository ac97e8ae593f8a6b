/**
 * Local window aggregation in the graph and the plan: which window definitions get a
 * 'localWindowAggregate' node per producer, how it is wired (forward from the producer, then a
 * hash exchange keyed by the envelope key), how `buildJobPlan` chains it into the producer's
 * vertex, that it changes no other operator's id, and the environment settings that control it.
 */
import { describe, expect, it } from 'vitest';
import { buildJobPlan, type JobPlan } from '../../../common/graph/job-plan.ts';
import { CollectSink, fromCollection } from '../../../connectors/index.ts';
import type { DataStream, KeyedStream } from '../../../client/api/streams.ts';
import { StreamExecutionEnvironment, type EnvironmentOptions } from '../../../client/api/environment.ts';
import { OutputTag, type ProcessFunction } from '../../../client/api/functions.ts';
import type { AggregateFunction } from '../../../client/api/state.ts';
import type { StreamNode } from '../../../common/graph/stream-graph.ts';
import { envelopeKey, type LocalWindowAggregateSpec } from '../../../client/api/windowing/local-window-aggregation.ts';
import { GlobalWindows } from '../../../client/api/windowing/global-windows.ts';
import { EventTimeSessionWindows } from '../../../client/api/windowing/session-windows.ts';
import { SlidingEventTimeWindows } from '../../../client/api/windowing/sliding-windows.ts';
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { ContinuousEventTimeTrigger } from '../../../client/api/windowing/triggers/continuous-event-time-trigger.ts';
import { CountTrigger } from '../../../client/api/windowing/triggers/count-trigger.ts';
import { EventTimeTrigger } from '../../../client/api/windowing/triggers/event-time-trigger.ts';
import { TimeWindow } from '../../../client/api/windowing/time-window.ts';
import type { WindowAssigner } from '../../../client/api/windowing/window-assigner.ts';
import type { WindowSpec } from '../../../client/api/windowing/window-spec.ts';
import { windowNode } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

const sum: AggregateFunction<Event, number, number> = {
  createAccumulator: () => 0,
  add: (e, acc) => acc + e.v,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};

const byKey = (e: Event): string => e.key;

function plan(env: StreamExecutionEnvironment): JobPlan {
  return buildJobPlan('test', env.graph, { parallelism: env.getParallelism(), maxParallelism: env.getMaxParallelism() });
}

function events(env: StreamExecutionEnvironment, name = 'events'): DataStream<Event> {
  return env.fromSource(fromCollection<Event>([]), name);
}

function localNodes(env: StreamExecutionEnvironment): StreamNode[] {
  return env.graph.nodes.filter((n) => n.kind === 'localWindowAggregate');
}

/** source -> keyBy -> a window, with `define` choosing the window (by default a tumbling aggregate). */
function windowJob(
  options: EnvironmentOptions,
  define: (keyed: KeyedStream<Event, string>) => unknown = (keyed) => keyed.window(TumblingEventTimeWindows.of(1_000)).aggregate(sum),
): { env: StreamExecutionEnvironment; window: StreamNode } {
  const env = new StreamExecutionEnvironment(options);
  define(events(env).keyBy(byKey));
  return { env, window: windowNode(env) };
}

/** Asserts the window is fed directly by the user's keyed exchange, with no local phase. */
function expectNotLifted(env: StreamExecutionEnvironment): void {
  const window = windowNode(env);
  expect(localNodes(env)).toEqual([]);
  expect(window.inputs).toHaveLength(1);
  expect(window.inputs[0]!.from.kind).toBe('source');
  expect(window.inputs[0]!.partitioning).toBe('hash');
  expect(window.inputs[0]!.keySelector).toBe(byKey);
  expect((window.spec as WindowSpec).locallyAggregated).toBeUndefined();
}

describe('local window aggregation: graph', () => {
  it.each([
    ['tumbling', TumblingEventTimeWindows.of(1_000)],
    ['sliding', SlidingEventTimeWindows.of(1_000, 250)],
  ])('puts a local phase between the producer and a %s event-time aggregate window', (_name, assigner) => {
    const env = new StreamExecutionEnvironment({ localWindowAggregation: { maxEntries: 77 } });
    const source = events(env);
    source.keyBy(byKey).window(assigner).aggregate(sum).sinkTo(new CollectSink());
    const window = windowNode(env);
    const [local, ...others] = localNodes(env);
    expect(others).toEqual([]);
    expect(local).toBeDefined();

    // producer -forward-> local -hash(envelopeKey)-> window
    expect(local!.inputs).toHaveLength(1);
    expect(local!.inputs[0]!.from.kind).toBe('source');
    expect(local!.inputs[0]!.partitioning).toBe('forward');
    expect(local!.outputs).toHaveLength(1);
    expect(window.inputs).toHaveLength(1);
    expect(window.inputs[0]).toBe(local!.outputs[0]);
    expect(window.inputs[0]!.partitioning).toBe('hash');
    expect(window.inputs[0]!.keySelector).toBe(envelopeKey);
    expect(local!.derivedFrom).toEqual({ node: window, ordinal: 0 });
    expect(local!.name).toBe(`LocalWindowAggregate(${String(assigner)})`);

    const localSpec = local!.spec as LocalWindowAggregateSpec;
    expect(localSpec.assigner).toBe(assigner);
    expect(localSpec.aggregate).toBe(sum);
    expect(localSpec.keySelector).toBe(byKey);
    expect(localSpec.maxEntries).toBe(77);

    const spec = window.spec as WindowSpec;
    expect(spec.locallyAggregated).toBe(true);
    expect(spec.assigner).toBe(assigner);
    expect(spec.fn).toMatchObject({ kind: 'aggregate', aggregate: sum });
    expect(window.fn).toBe(sum);
  });

  it('keeps the ids of every other operator, and gives the local phase an id of its own', () => {
    const build = (enabled: boolean): StreamExecutionEnvironment => {
      const env = new StreamExecutionEnvironment({ localWindowAggregation: { enabled } });
      events(env)
        .map((e) => e)
        .keyBy(byKey)
        .window(TumblingEventTimeWindows.of(1_000))
        .aggregate(sum)
        .map((v) => v * 2)
        .sinkTo(new CollectSink());
      return env;
    };
    const on = build(true);
    const off = build(false);
    const defined = (env: StreamExecutionEnvironment): string[] => env.graph.nodes.filter((n) => n.derivedFrom === undefined).map((n) => `${n.kind}:${n.id}`);
    expect(defined(on)).toEqual(defined(off));
    expect(defined(on).map((s) => s.split(':')[0])).toEqual(['source', 'map', 'window', 'map', 'sink']);

    const [local] = localNodes(on);
    const ids = off.graph.nodes.map((n) => n.id);
    expect(ids).not.toContain(local!.id);
    expect(new Set(on.graph.nodes.map((n) => n.id)).size).toBe(on.graph.nodes.length);

    // The plan's vertex and operator ids agree too, apart from the local phase.
    const opIds = (p: JobPlan): string[] => p.jobGraph.vertices.flatMap((v) => v.operators.filter((o) => o.kind !== 'localWindowAggregate').map((o) => o.id));
    expect(opIds(plan(on)).sort()).toEqual(opIds(plan(off)).sort());
    expect(plan(on).jobGraph.vertices.map((v) => v.id).sort()).toEqual(plan(off).jobGraph.vertices.map((v) => v.id).sort());
  });

  it("derives the local phase's id from the window's, not from its position in the graph", () => {
    const build = (extraMaps: number): StreamNode => {
      const env = new StreamExecutionEnvironment();
      let stream = events(env);
      for (let i = 0; i < extraMaps; i++) stream = stream.map((e) => e);
      stream.keyBy(byKey).window(TumblingEventTimeWindows.of(1_000)).aggregate(sum).uid('the-window');
      return localNodes(env)[0]!;
    };
    const a = build(0);
    const b = build(3);
    expect(a.derivedFrom!.node.id).toBe(b.derivedFrom!.node.id);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(a.derivedFrom!.node.id);
  });

  it('gives a union one local phase per producer, each chained to its producer', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const left = events(env, 'left');
    const right = events(env, 'right').filter(() => true);
    left.union(right).keyBy(byKey).window(TumblingEventTimeWindows.of(1_000)).aggregate(sum).sinkTo(new CollectSink());
    const window = windowNode(env);
    const locals = localNodes(env);
    expect(locals).toHaveLength(2);
    expect(locals.map((n) => n.inputs[0]!.from.name)).toEqual(['left', 'Filter']);
    expect(locals.map((n) => n.derivedFrom!.ordinal)).toEqual([0, 1]);
    expect(locals[0]!.id).not.toBe(locals[1]!.id);
    expect(window.inputs.map((e) => e.from)).toEqual(locals);
    expect(window.inputs.every((e) => e.partitioning === 'hash' && e.keySelector === envelopeKey)).toBe(true);

    const { jobGraph } = plan(env);
    expect(jobGraph.vertices.map((v) => v.name).sort()).toEqual(
      [
        'left -> LocalWindowAggregate(TumblingEventTimeWindows(1000))',
        'right -> Filter -> LocalWindowAggregate(TumblingEventTimeWindows(1000))',
        `${window.name} -> Sink: collect`,
      ].sort(),
    );
    const windowVertex = jobGraph.vertices.find((v) => v.operators[0]!.kind === 'window')!;
    expect(windowVertex.inputs.map((e) => e.partitioner)).toEqual(['HASH', 'HASH']);
    expect(windowVertex.inputs.every((e) => e.keyOperatorId === window.id)).toBe(true);
  });

  it('lifts the aggregate of a side output, the local phase reading that side output', () => {
    const env = new StreamExecutionEnvironment();
    const tag = new OutputTag<Event>('odd');
    const split: ProcessFunction<Event, Event> = { processElement: (e, ctx, out) => (e.v % 2 === 1 ? ctx.output(tag, e) : out.collect(e)) };
    events(env).process(split).getSideOutput(tag).keyBy(byKey).window(TumblingEventTimeWindows.of(1_000)).aggregate(sum).sinkTo(new CollectSink());
    const [local] = localNodes(env);
    expect(local!.inputs[0]!.from.kind).toBe('process');
    expect(local!.inputs[0]!.sideOutput).toBe('odd');
    const vertices = plan(env).jobGraph.vertices;
    expect(vertices).toHaveLength(2);
    expect(vertices.find((v) => v.isSource)!.operators.map((o) => o.kind)).toEqual(['source', 'process', 'localWindowAggregate']);
  });

  it('lifts an aggregate with a process window function, and one with the default trigger set explicitly', () => {
    const { env } = windowJob({}, (keyed) =>
      keyed
        .window(TumblingEventTimeWindows.of(1_000))
        .trigger(EventTimeTrigger.create())
        .aggregate(sum, { process: (key, _ctx, values, out) => out.collect(`${String(key)}=${String(values[0])}`) }),
    );
    expect(localNodes(env)).toHaveLength(1);
    expect((windowNode(env).spec as WindowSpec).locallyAggregated).toBe(true);
  });
});

describe('local window aggregation: plan', () => {
  it('chains the local phase into the producer vertex and hashes its envelopes into the window', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    events(env)
      .map((e) => e)
      .keyBy(byKey)
      .window(TumblingEventTimeWindows.of(1_000))
      .aggregate(sum)
      .sinkTo(new CollectSink());
    const { jobGraph, vertices, parallelism } = plan(env);
    const window = windowNode(env);
    const [local] = localNodes(env);
    expect(jobGraph.vertices).toHaveLength(2);
    const [head, tail] = [jobGraph.vertices.find((v) => v.isSource)!, jobGraph.vertices.find((v) => !v.isSource)!];
    expect(head.operators.map((o) => o.kind)).toEqual(['source', 'map', 'localWindowAggregate']);
    expect(head.name).toContain('LocalWindowAggregate');
    expect(head.name).toBe('events -> Map -> LocalWindowAggregate(TumblingEventTimeWindows(1000))');
    expect(head.operators[2]!.id).toBe(local!.id);
    expect(tail.operators.map((o) => o.kind)).toEqual(['window', 'sink']);
    expect(tail.inputs).toEqual([expect.objectContaining({ sourceVertexId: head.id, partitioner: 'HASH', keyOperatorId: window.id })]);
    // The network edge out of the producer vertex is the local phase's.
    expect(vertices.get(head.id)!.outputs.map((e) => e.from)).toEqual([local]);
    expect(vertices.get(head.id)!.outputs[0]!.keySelector).toBe(envelopeKey);
    expect(parallelism.get(local!)).toEqual(parallelism.get(local!.inputs[0]!.from));
  });

  it('runs the local phase at its producer’s parallelism and max parallelism, still chained', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    events(env)
      .map((e) => e)
      .setParallelism(5)
      .setMaxParallelism(64)
      .keyBy(byKey)
      .window(SlidingEventTimeWindows.of(1_000, 500))
      .aggregate(sum)
      .sinkTo(new CollectSink());
    const { jobGraph, parallelism } = plan(env);
    const [local] = localNodes(env);
    expect(parallelism.get(local!)).toEqual({ parallelism: 5, maxParallelism: 64 });
    expect(parallelism.get(windowNode(env))).toEqual({ parallelism: 2, maxParallelism: 128 });
    expect(local!.inputs[0]!.partitioning).toBe('forward');
    // source (2) -rebalance-> map (5) + local; window (2) on its own vertex.
    expect(jobGraph.vertices.map((v) => [v.operators.map((o) => o.kind), v.parallelism])).toEqual([
      [['source'], 2],
      [['map', 'localWindowAggregate'], 5],
      [['window', 'sink'], 2],
    ]);
    const mapVertex = jobGraph.vertices[1]!;
    expect(mapVertex.maxParallelism).toBe(64);
    expect(jobGraph.vertices[2]!.inputs).toEqual([expect.objectContaining({ sourceVertexId: mapVertex.id, partitioner: 'HASH' })]);
  });

  it('follows the parallelism of a producer set after the window was defined', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 1 });
    const mapped = events(env).map((e) => e);
    mapped.keyBy(byKey).window(TumblingEventTimeWindows.of(1_000)).aggregate(sum).sinkTo(new CollectSink());
    mapped.setParallelism(3);
    const { jobGraph, parallelism } = plan(env);
    expect(parallelism.get(localNodes(env)[0]!)!.parallelism).toBe(3);
    expect(jobGraph.vertices.map((v) => v.operators.map((o) => o.kind))).toEqual([['source'], ['map', 'localWindowAggregate'], ['window', 'sink']]);
  });
});

/** A user-defined event-time assigner: each record is in [0, 10) and [0, 20), or [0, 20) only. */
const cumulativeWindows: WindowAssigner<Event, TimeWindow> = {
  isEventTime: true,
  assignWindows: (_e, ts) => (ts < 10 ? [TimeWindow.of(0, 10), TimeWindow.of(0, 20)] : [TimeWindow.of(0, 20)]),
  defaultTrigger: () => EventTimeTrigger.create(),
};

describe('local window aggregation: not lifted', () => {
  it.each<[string, (keyed: KeyedStream<Event, string>) => unknown]>([
    ['reduce', (k) => k.window(TumblingEventTimeWindows.of(1_000)).reduce((a, b) => ({ key: a.key, v: a.v + b.v }))],
    ['process', (k) => k.window(TumblingEventTimeWindows.of(1_000)).process({ process: (_k, _c, values, out) => out.collect(values.length) })],
    ['allowed lateness', (k) => k.window(TumblingEventTimeWindows.of(1_000)).allowedLateness(1).aggregate(sum)],
    ['late data output', (k) => k.window(TumblingEventTimeWindows.of(1_000)).sideOutputLateData(new OutputTag<Event>('late')).aggregate(sum)],
    ['a count trigger', (k) => k.window(TumblingEventTimeWindows.of(1_000)).trigger(CountTrigger.of(3)).aggregate(sum)],
    ['a continuous event-time trigger', (k) => k.window(SlidingEventTimeWindows.of(1_000, 500)).trigger(ContinuousEventTimeTrigger.of(100)).aggregate(sum)],
    ['session windows', (k) => k.window(EventTimeSessionWindows.withGap(1_000)).aggregate(sum)],
    ['processing-time windows', (k) => k.window(TumblingProcessingTimeWindows.of(1_000)).aggregate(sum)],
    ['global windows with an event-time trigger', (k) => k.window(GlobalWindows.create()).trigger(EventTimeTrigger.create()).aggregate(sum)],
    ['count windows', (k) => k.countWindow(5).aggregate(sum)],
    ['a custom event-time assigner (windows of several sizes)', (k) => k.window(cumulativeWindows).aggregate(sum)],
    ['sliding count windows', (k) => k.countWindow(5, 2).aggregate(sum)],
    [
      'an aggregate without merge',
      (k) => k.window(TumblingEventTimeWindows.of(1_000)).aggregate({ ...sum, merge: undefined } as unknown as AggregateFunction<Event, number, number>),
    ],
  ])('with %s', (_name, define) => {
    const { env } = windowJob({}, define);
    expectNotLifted(env);
  });

  it('when disabled on the environment, and for windows defined after it was disabled', () => {
    expectNotLifted(windowJob({ localWindowAggregation: { enabled: false } }).env);

    const env = new StreamExecutionEnvironment();
    const keyed = events(env).keyBy(byKey);
    keyed.window(TumblingEventTimeWindows.of(1_000)).aggregate(sum).sinkTo(new CollectSink());
    const first = windowNode(env);
    env.setLocalWindowAggregation({ enabled: false });
    keyed.window(TumblingEventTimeWindows.of(2_000)).aggregate(sum).sinkTo(new CollectSink());
    const second = windowNode(env);
    env.setLocalWindowAggregation({});
    keyed.window(TumblingEventTimeWindows.of(3_000)).aggregate(sum).sinkTo(new CollectSink());
    const third = windowNode(env);
    expect(localNodes(env).map((n) => n.derivedFrom!.node)).toEqual([first, third]);
    expect(second.inputs[0]!.keySelector).toBe(byKey);
    expect((second.spec as WindowSpec).locallyAggregated).toBeUndefined();
  });

  it('rejects a non-positive or fractional buffer size', () => {
    const env = new StreamExecutionEnvironment();
    expect(() => env.setLocalWindowAggregation({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer; got 0/);
    expect(() => env.setLocalWindowAggregation({ maxEntries: -5 })).toThrow(/positive integer/);
    expect(() => env.setLocalWindowAggregation({ maxEntries: 2.5 })).toThrow(/positive integer/);
    expect(() => new StreamExecutionEnvironment({ localWindowAggregation: { maxEntries: 0 } })).toThrow(/positive integer/);
    // A rejected setting leaves the previous one in place.
    env.setLocalWindowAggregation({ maxEntries: 3 });
    expect(() => env.setLocalWindowAggregation({ maxEntries: 0 })).toThrow();
    events(env).keyBy(byKey).window(TumblingEventTimeWindows.of(1_000)).aggregate(sum);
    expect((localNodes(env)[0]!.spec as LocalWindowAggregateSpec).maxEntries).toBe(3);
  });
});
