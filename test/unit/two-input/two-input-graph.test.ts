/** The DataStream API of two-input operators: the nodes, edges and job graph it builds. */
import { describe, expect, it } from 'vitest';
import { BroadcastConnectedStreamImpl, KeyedBroadcastConnectedStreamImpl } from '../../../client/api/broadcast-connected-stream.ts';
import { BroadcastStreamImpl, type BroadcastProcessSpec } from '../../../client/api/broadcast-stream.ts';
import { ConnectedStreamsImpl, KeyedConnectedStreamsImpl } from '../../../client/api/connected-streams.ts';
import { DataStreamImpl } from '../../../client/api/data-stream.ts';
import type { IntervalJoinSpec } from '../../../client/api/interval-join.ts';
import type { StreamNode } from '../../../common/graph/stream-graph.ts';
import { buildJobPlan } from '../../../common/graph/job-plan.ts';
import {
  CollectSink,
  fromCollection,
  MapStateDescriptor,
  OutputTag,
  StreamExecutionEnvironment,
  type BroadcastProcessFunction,
  type CoProcessFunction,
} from '../../../client/index.ts';

interface Stock {
  sku: string;
  qty: number;
  ts: number;
}
interface Rule {
  sku: string;
  min: number;
}
interface RuleChange {
  op: 'upsert' | 'delete';
  rule: Rule;
}
interface PageView {
  sku: string;
  pv: number;
  ts: number;
}

const RULES = new MapStateDescriptor<string, Rule>('rules');

function env(): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ parallelism: 2 });
}

/** The only node of a kind. */
function nodeOf(e: StreamExecutionEnvironment, kind: StreamNode['kind']): StreamNode {
  const nodes = e.graph.nodes.filter((n) => n.kind === kind);
  expect(nodes).toHaveLength(1);
  return nodes[0]!;
}

/** The inputs of a node as [from node name, input index, partitioning]. */
function inputs(node: StreamNode): [string, number, string][] {
  return node.inputs.map((e) => [e.from.name, e.inputIndex, e.partitioning]);
}

function plan(e: StreamExecutionEnvironment) {
  return buildJobPlan('test', e.graph, { parallelism: e.getParallelism(), maxParallelism: e.getMaxParallelism() });
}

describe('connect', () => {
  it('builds a coProcess node with the first stream on input 0 and the second on input 1', () => {
    const e = env();
    const numbers = e.fromSource(fromCollection([1, 2]), 'numbers');
    const words = e.fromSource(fromCollection(['a']), 'words');
    const connected = numbers.connect(words);
    expect(connected).toBeInstanceOf(ConnectedStreamsImpl);
    expect(connected).not.toBeInstanceOf(KeyedConnectedStreamsImpl);
    connected
      .process<string>({
        processElement1: (n, _ctx, out) => out.collect(String(n * 2)),
        processElement2: (w, _ctx, out) => out.collect(w.toUpperCase()),
      })
      .sinkTo(new CollectSink());
    const node = nodeOf(e, 'coProcess');
    expect(inputs(node)).toEqual([
      ['numbers', 0, 'forward'],
      ['words', 1, 'forward'],
    ]);
    const vertex = plan(e).jobGraph.vertices.find((v) => v.operators[0]?.kind === 'coProcess')!;
    expect(vertex.operators.map((o) => o.kind)).toEqual(['coProcess', 'sink']);
    expect(vertex.inputs.map((i) => [i.partitioner, i.inputIndex])).toEqual([
      ['FORWARD', 0],
      ['FORWARD', 1],
    ]);
  });

  it('keys both inputs with ConnectedStreams.keyBy', () => {
    const e = env();
    const stock = e.fromSource(fromCollection<Stock>([]), 'stock');
    const rules = e.fromSource(fromCollection<Rule>([]), 'rules');
    const bySku = (s: Stock): string => s.sku;
    const ruleSku = (r: Rule): string => r.sku;
    const keyed = stock.connect(rules).keyBy(bySku, ruleSku);
    expect(keyed).toBeInstanceOf(KeyedConnectedStreamsImpl);
    keyed
      .process<string>({
        processElement1(s, ctx, out) {
          ctx.timerService().registerEventTimeTimer(s.ts);
          out.collect(`${ctx.getCurrentKey()}`);
        },
        processElement2() {},
        onTimer(ts, ctx, out) {
          out.collect(`${ctx.getCurrentKey()}@${ts}:${ctx.timeDomain()}`);
        },
      })
      .sinkTo(new CollectSink());
    const node = nodeOf(e, 'keyedCoProcess');
    expect(inputs(node)).toEqual([
      ['stock', 0, 'hash'],
      ['rules', 1, 'hash'],
    ]);
    expect(node.inputs.map((x) => x.keySelector)).toEqual([bySku, ruleSku]);
    const vertex = plan(e).jobGraph.vertices.find((v) => v.operators[0]?.kind === 'keyedCoProcess')!;
    expect(vertex.inputs.map((i) => [i.partitioner, i.inputIndex, i.keyOperatorId])).toEqual([
      ['HASH', 0, node.id],
      ['HASH', 1, node.id],
    ]);
  });

  it('connects two keyed streams as keyed, and a keyed with a non-keyed stream as not keyed', () => {
    const e = env();
    const a = e.fromSource(fromCollection<Stock>([]), 'a').keyBy((s) => s.sku);
    const b = e.fromSource(fromCollection<Rule>([]), 'b').keyBy((r) => r.sku);
    const c = e.fromSource(fromCollection<number>([]), 'c');
    const keyed = a.connect(b);
    expect(keyed).toBeInstanceOf(KeyedConnectedStreamsImpl);
    const plain: CoProcessFunction<Stock, Rule, never> = { processElement1() {}, processElement2() {} };
    keyed.process(plain).sinkTo(new CollectSink());
    const mixed = a.connect(c);
    expect(mixed).not.toBeInstanceOf(KeyedConnectedStreamsImpl);
    mixed.process<never>({ processElement1() {}, processElement2() {} }).sinkTo(new CollectSink());
    expect(inputs(nodeOf(e, 'keyedCoProcess'))).toEqual([
      ['a', 0, 'hash'],
      ['b', 1, 'hash'],
    ]);
    expect(inputs(nodeOf(e, 'coProcess'))).toEqual([
      ['a', 0, 'hash'],
      ['c', 1, 'forward'],
    ]);
  });
});

describe('broadcast', () => {
  it('keeps broadcast() without descriptors a plain repartitioning', () => {
    const e = env();
    const s = e.fromSource(fromCollection([1]), 's').broadcast();
    expect(s).toBeInstanceOf(DataStreamImpl);
    s.map((x) => x).sinkTo(new CollectSink());
    expect(inputs(nodeOf(e, 'map'))).toEqual([['s', 0, 'broadcast']]);
  });

  it('returns a BroadcastStream with descriptors, and validates them', () => {
    const e = env();
    const s = e.fromSource(fromCollection([1]), 's');
    expect(s.broadcast(RULES)).toBeInstanceOf(BroadcastStreamImpl);
    expect(() => s.broadcast(RULES, new MapStateDescriptor<string, Rule>('rules'))).toThrow(/declared twice/);
    expect(() => s.broadcast(new MapStateDescriptor<string, number>('t', { ttl: { ttlMs: 10 } }))).toThrow(/TTL/);
  });

  it('builds the inventory-alert pipeline: a rule snapshot plus changes, broadcast to keyed stock', () => {
    const e = env();
    const snapshot = e.fromSource(fromCollection<Rule>([{ sku: 'apple', min: 5 }]), 'rule-snapshot');
    const changes = e.fromSource(fromCollection<RuleChange>([]), 'rule-changes');
    const stock = e.fromSource(fromCollection<Stock>([]), 'stock');
    const rules = snapshot
      .map((rule): RuleChange => ({ op: 'upsert', rule }))
      .name('snapshot-as-changes')
      .union(changes)
      .broadcast(RULES);
    const connected = stock.keyBy((s) => s.sku).connect(rules);
    expect(connected).toBeInstanceOf(KeyedBroadcastConnectedStreamImpl);
    const late = new OutputTag<Stock>('unruled');
    const alerts = connected.process<string>({
      processElement(s, ctx, out) {
        const rule = ctx.getBroadcastState(RULES).get(ctx.getCurrentKey());
        if (!rule) ctx.output(late, s);
        else if (s.qty < rule.min) out.collect(`${s.sku} low`);
      },
      processBroadcastElement(change, ctx) {
        const state = ctx.getBroadcastState(RULES);
        if (change.op === 'upsert') state.put(change.rule.sku, change.rule);
        else state.remove(change.rule.sku);
      },
    });
    alerts.sinkTo(new CollectSink());
    const node = nodeOf(e, 'keyedBroadcastProcess');
    expect(inputs(node)).toEqual([
      ['stock', 0, 'hash'],
      ['snapshot-as-changes', 1, 'broadcast'],
      ['rule-changes', 1, 'broadcast'],
    ]);
    expect((node.spec as BroadcastProcessSpec).descriptors).toEqual([RULES]);
    const vertex = plan(e).jobGraph.vertices.find((v) => v.operators[0]?.kind === 'keyedBroadcastProcess')!;
    expect(vertex.inputs.map((i) => [i.partitioner, i.inputIndex])).toEqual([
      ['HASH', 0],
      ['BROADCAST', 1],
      ['BROADCAST', 1],
    ]);
  });

  it('broadcasts the output of a connected snapshot and change stream', () => {
    const e = env();
    const plainBroadcast: BroadcastProcessFunction<Stock, RuleChange, string> = { processElement() {}, processBroadcastElement() {} };
    const snapshot = e.fromSource(fromCollection<Rule>([]), 'rule-snapshot');
    const changes = e.fromSource(fromCollection<RuleChange>([]), 'rule-changes');
    const rules = snapshot
      .connect(changes)
      .process<RuleChange>({
        processElement1: (rule, _ctx, out) => out.collect({ op: 'upsert', rule }),
        processElement2: (change, _ctx, out) => out.collect(change),
      })
      .broadcast(RULES);
    e.fromSource(fromCollection<Stock>([]), 'stock')
      .keyBy((s) => s.sku)
      .connect(rules)
      .process(plainBroadcast)
      .sinkTo(new CollectSink());
    expect(inputs(nodeOf(e, 'keyedBroadcastProcess'))).toEqual([
      ['stock', 0, 'hash'],
      ['Co-Process', 1, 'broadcast'],
    ]);
  });

  it('builds a broadcastProcess node for a non-keyed stream', () => {
    const e = env();
    const readings = e.fromSource(fromCollection<number>([]), 'readings');
    const rules = e.fromSource(fromCollection<Rule>([]), 'rules').broadcast(RULES);
    const connected = readings.connect(rules);
    expect(connected).toBeInstanceOf(BroadcastConnectedStreamImpl);
    expect(connected).not.toBeInstanceOf(KeyedBroadcastConnectedStreamImpl);
    connected
      .process<number>({
        processElement(n, ctx, out) {
          if (ctx.getBroadcastState(RULES).size() > 0) out.collect(n);
        },
        processBroadcastElement(r, ctx) {
          ctx.getBroadcastState(RULES).put(r.sku, r);
        },
      })
      .sinkTo(new CollectSink());
    expect(inputs(nodeOf(e, 'broadcastProcess'))).toEqual([
      ['readings', 0, 'forward'],
      ['rules', 1, 'broadcast'],
    ]);
  });
});

describe('intervalJoin', () => {
  it('builds an intervalJoin node over two hash edges with its bounds and late-data tags', () => {
    const e = env();
    const stock = e.fromSource(fromCollection<Stock>([]), 'stock').keyBy((s) => s.sku);
    const views = e.fromSource(fromCollection<PageView>([]), 'pv').keyBy((p) => p.sku);
    const lateViews = new OutputTag<PageView>('late-pv');
    stock
      .intervalJoin(views)
      .between(-300_000, 0)
      .lowerBoundExclusive()
      .sideOutputRightLateData(lateViews)
      .process<[string, number]>({
        processElement(s, p, ctx, out) {
          out.collect([`${s.sku}@${ctx.leftTimestamp()}`, p.pv]);
        },
      })
      .sinkTo(new CollectSink());
    const node = nodeOf(e, 'intervalJoin');
    expect(inputs(node)).toEqual([
      ['stock', 0, 'hash'],
      ['pv', 1, 'hash'],
    ]);
    expect(node.spec as IntervalJoinSpec).toEqual({
      lowerBound: -300_000,
      upperBound: 0,
      lowerBoundInclusive: false,
      upperBoundInclusive: true,
      leftLateDataTag: undefined,
      rightLateDataTag: 'late-pv',
    });
    const vertex = plan(e).jobGraph.vertices.find((v) => v.operators[0]?.kind === 'intervalJoin')!;
    expect(vertex.inputs.map((i) => [i.partitioner, i.inputIndex])).toEqual([
      ['HASH', 0],
      ['HASH', 1],
    ]);
  });

  it('rejects invalid and empty intervals', () => {
    const e = env();
    const a = e.fromSource(fromCollection<Stock>([]), 'a').keyBy((s) => s.sku);
    const b = e.fromSource(fromCollection<PageView>([]), 'b').keyBy((p) => p.sku);
    const fn = { processElement() {} };
    expect(() => a.intervalJoin(b).between(5, 1)).toThrow(/lower bound 5 is above its upper bound 1/);
    expect(() => a.intervalJoin(b).between(0.5, 1)).toThrow(/whole milliseconds/);
    expect(() => a.intervalJoin(b).between(3, 3).lowerBoundExclusive().process(fn)).toThrow(/empty/);
    expect(() => a.intervalJoin(b).between(3, 4).lowerBoundExclusive().upperBoundExclusive().process(fn)).toThrow(/empty/);
    expect(() => a.intervalJoin(b).between(3, 3).process(fn)).not.toThrow();
  });
});
