/**
 * The JobManager's checks of an incoming JobGraph, and the client-side planning (chaining,
 * partitioning, parallelism, operator ids) that produces such graphs from the DataStream API.
 */
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { buildJobPlan } from '../../common/graph/job-plan.ts';
import { CollectSink, fromCollection, StreamExecutionEnvironment, type DataStream } from '../../client/index.ts';
import { SluiceError } from '../../common/errors.ts';
import { validateJobGraph } from '../../common/graph/job-graph-validation.ts';
import type { JobEdge, JobGraph, JobVertex, PartitionerKind } from '../../common/rpc/index.ts';

interface VertexSpec {
  parallelism?: number;
  maxParallelism?: number;
  isSource?: boolean;
  operators?: { id: string; uid?: string }[];
  inputs?: (Partial<JobEdge> & { from: string })[];
}

let edgeCounter = 0;

function edge(spec: Partial<JobEdge> & { from: string }): JobEdge {
  const partitioner: PartitionerKind = spec.partitioner ?? 'FORWARD';
  return {
    id: spec.id ?? `edge-${++edgeCounter}`,
    sourceVertexId: spec.from,
    partitioner,
    keyOperatorId: spec.keyOperatorId ?? (partitioner === 'HASH' ? 'key-op' : ''),
    inputIndex: spec.inputIndex ?? 0,
  };
}

function vertex(id: string, spec: VertexSpec = {}): JobVertex {
  const inputs = (spec.inputs ?? []).map(edge);
  return {
    id,
    name: `V-${id}`,
    parallelism: spec.parallelism ?? 2,
    maxParallelism: spec.maxParallelism ?? 128,
    isSource: spec.isSource ?? inputs.length === 0,
    operators: (spec.operators ?? [{ id: `op-${id}` }]).map((o) => ({ id: o.id, uid: o.uid ?? '', name: `Op ${o.id}`, kind: 'map' })),
    inputs,
  };
}

function graph(...vertices: JobVertex[]): JobGraph {
  return { name: 'test-job', vertices, args: {}, defaultParallelism: 2 };
}

/** Runs the validation and returns the thrown error, failing the test if none was thrown. */
function rejection(g: JobGraph): SluiceError {
  try {
    validateJobGraph(g);
  } catch (error) {
    expect(error).toBeInstanceOf(SluiceError);
    const e = error as SluiceError;
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    return e;
  }
  throw new Error('expected validateJobGraph to reject the graph');
}

describe('validateJobGraph', () => {
  it('accepts a valid graph and returns its vertices in topological order', () => {
    const sink = vertex('sink', { inputs: [{ from: 'left' }, { from: 'right', partitioner: 'REBALANCE' }] });
    const left = vertex('left', { inputs: [{ from: 'src' }] });
    const right = vertex('right', { parallelism: 3, inputs: [{ from: 'src', partitioner: 'HASH' }] });
    const src = vertex('src');
    const order = validateJobGraph(graph(sink, right, left, src)).map((v) => v.id);
    expect(order).toHaveLength(4);
    expect(new Set(order)).toEqual(new Set(['src', 'left', 'right', 'sink']));
    const pos = (id: string): number => order.indexOf(id);
    expect(pos('src')).toBeLessThan(pos('left'));
    expect(pos('src')).toBeLessThan(pos('right'));
    expect(pos('left')).toBeLessThan(pos('sink'));
    expect(pos('right')).toBeLessThan(pos('sink'));
  });

  it('accepts a single source vertex', () => {
    expect(validateJobGraph(graph(vertex('only'))).map((v) => v.id)).toEqual(['only']);
  });

  it('rejects an empty graph', () => {
    expect(rejection(graph()).message).toMatch(/no vertices/);
  });

  it('rejects a cycle and names the vertices on it', () => {
    const src = vertex('src');
    const b = vertex('b', { inputs: [{ from: 'src' }, { from: 'c' }] });
    const c = vertex('c', { inputs: [{ from: 'b' }] });
    const message = rejection(graph(src, b, c)).message;
    expect(message).toMatch(/cycle/);
    expect(message).toContain('V-b');
    expect(message).toContain('V-c');
  });

  it('rejects a self-loop', () => {
    const src = vertex('src');
    const loop = vertex('loop', { inputs: [{ from: 'src' }, { from: 'loop' }] });
    expect(rejection(graph(src, loop)).message).toMatch(/cycle through .*V-loop -> V-loop/);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects parallelism %s', (parallelism) => {
    const message = rejection(graph(vertex('src', { parallelism }))).message;
    expect(message).toContain('V-src');
    expect(message).toMatch(/invalid parallelism/);
  });

  it('rejects parallelism above the max parallelism', () => {
    const message = rejection(graph(vertex('src', { parallelism: 200, maxParallelism: 128 }))).message;
    expect(message).toMatch(/parallelism 200 above its max parallelism 128/);
  });

  it.each([32769, 0, -5, 12.5])('rejects max parallelism %s', (maxParallelism) => {
    expect(rejection(graph(vertex('src', { parallelism: 1, maxParallelism }))).message).toMatch(
      new RegExp(`invalid max parallelism ${maxParallelism}`),
    );
  });

  it('accepts max parallelism at the upper bound 32768', () => {
    expect(() => validateJobGraph(graph(vertex('src', { parallelism: 4, maxParallelism: 32768 })))).not.toThrow();
  });

  it('rejects duplicate vertex ids', () => {
    const a = vertex('dup', { operators: [{ id: 'op-1' }] });
    const b = vertex('dup', { operators: [{ id: 'op-2' }] });
    expect(rejection(graph(a, b)).message).toMatch(/duplicate vertex id dup/);
  });

  it('rejects duplicate operator ids, also across vertices', () => {
    const src = vertex('src', { operators: [{ id: 'same' }] });
    const map = vertex('map', { operators: [{ id: 'same' }], inputs: [{ from: 'src' }] });
    expect(rejection(graph(src, map)).message).toMatch(/duplicate operator id same/);
  });

  it('rejects duplicate uids', () => {
    const src = vertex('src', { operators: [{ id: 'a', uid: 'stable' }, { id: 'b', uid: 'stable' }] });
    expect(rejection(graph(src)).message).toMatch(/duplicate uid "stable"/);
  });

  it('allows several operators without uid', () => {
    const src = vertex('src', { operators: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    expect(() => validateJobGraph(graph(src))).not.toThrow();
  });

  it('rejects an edge from an unknown vertex', () => {
    const src = vertex('src');
    const map = vertex('map', { inputs: [{ from: 'ghost' }] });
    expect(rejection(graph(src, map)).message).toMatch(/"V-map" reads from unknown vertex ghost/);
  });

  it('rejects a forward edge between different parallelisms', () => {
    const src = vertex('src', { parallelism: 2 });
    const map = vertex('map', { parallelism: 3, inputs: [{ from: 'src', partitioner: 'FORWARD' }] });
    expect(rejection(graph(src, map)).message).toMatch(/forward edge "V-src" -> "V-map" joins different parallelisms \(2 and 3\)/);
  });

  it('accepts a rebalance edge between different parallelisms', () => {
    const src = vertex('src', { parallelism: 2 });
    const map = vertex('map', { parallelism: 3, inputs: [{ from: 'src', partitioner: 'REBALANCE' }] });
    expect(() => validateJobGraph(graph(src, map))).not.toThrow();
  });

  it('rejects a hash edge without key selector', () => {
    const src = vertex('src');
    const map = vertex('map', { inputs: [{ from: 'src', partitioner: 'HASH', keyOperatorId: '' }] });
    expect(rejection(graph(src, map)).message).toMatch(/hash edge into "V-map" has no key selector/);
  });

  it('rejects a source with inputs', () => {
    const src = vertex('src');
    const other = vertex('other', { isSource: true, inputs: [{ from: 'src' }] });
    expect(rejection(graph(src, other)).message).toMatch(/source vertex "V-other" has inputs/);
  });

  it('rejects a non-source vertex without inputs', () => {
    expect(rejection(graph(vertex('src'), vertex('orphan', { isSource: false }))).message).toMatch(/"V-orphan" has no inputs and is not a source/);
  });

  it('rejects a vertex without operators', () => {
    expect(rejection(graph(vertex('src', { operators: [] }))).message).toMatch(/"V-src" has no operators/);
  });

  it('rejects duplicate edge ids', () => {
    const src = vertex('src');
    const a = vertex('a', { inputs: [{ from: 'src', id: 'e1' }] });
    const b = vertex('b', { inputs: [{ from: 'src', id: 'e1' }] });
    expect(rejection(graph(src, a, b)).message).toMatch(/duplicate id "e1"/);
  });

  it('reports every problem it finds in one message', () => {
    const src = vertex('src', { parallelism: 0 });
    const map = vertex('map', { inputs: [{ from: 'ghost' }] });
    const message = rejection(graph(src, map)).message;
    expect(message).toMatch(/invalid parallelism 0/);
    expect(message).toMatch(/unknown vertex ghost/);
  });
});

describe('buildJobPlan through the DataStream API', () => {
  function plan(env: StreamExecutionEnvironment): ReturnType<typeof buildJobPlan> {
    return buildJobPlan('test', env.graph, { parallelism: env.getParallelism(), maxParallelism: env.getMaxParallelism() });
  }

  function source(env: StreamExecutionEnvironment, name = 'numbers'): DataStream<number> {
    return env.fromSource(fromCollection([1, 2, 3, 4]), name);
  }

  it('chains map -> filter -> sink into the source vertex on forward edges of equal parallelism', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    source(env)
      .map((x) => x * 2)
      .filter((x) => x > 2)
      .sinkTo(new CollectSink());
    const { jobGraph, vertices } = plan(env);
    expect(jobGraph.vertices).toHaveLength(1);
    const v = jobGraph.vertices[0]!;
    expect(v.isSource).toBe(true);
    expect(v.parallelism).toBe(2);
    expect(v.inputs).toEqual([]);
    expect(v.operators.map((o) => o.kind)).toEqual(['source', 'map', 'filter', 'sink']);
    expect(v.name).toBe('numbers -> Map -> Filter -> Sink: collect');
    expect(v.id).toBe(v.operators[0]!.id);
    expect(vertices.get(v.id)?.outputs).toEqual([]);
  });

  it('breaks the chain at keyBy with a HASH edge keyed by the consuming operator', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    source(env)
      .map((x) => x + 1)
      .keyBy((x) => x % 2)
      .map((x) => x)
      .sinkTo(new CollectSink());
    const { jobGraph } = plan(env);
    expect(jobGraph.vertices).toHaveLength(2);
    const [head, keyed] = jobGraph.vertices as [JobVertex, JobVertex];
    expect(head.operators.map((o) => o.kind)).toEqual(['source', 'map']);
    expect(keyed.operators.map((o) => o.kind)).toEqual(['map', 'sink']);
    expect(keyed.isSource).toBe(false);
    expect(keyed.inputs).toHaveLength(1);
    const input = keyed.inputs[0]!;
    expect(input.partitioner).toBe('HASH');
    expect(input.sourceVertexId).toBe(head.id);
    expect(input.keyOperatorId).toBe(keyed.operators[0]!.id);
  });

  it('turns a forward edge between different parallelisms into REBALANCE and breaks the chain', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    source(env)
      .map((x) => x)
      .setParallelism(3)
      .sinkTo(new CollectSink())
      .setParallelism(3);
    const { jobGraph } = plan(env);
    expect(jobGraph.vertices.map((v) => [v.parallelism, v.operators.map((o) => o.kind)])).toEqual([
      [2, ['source']],
      [3, ['map', 'sink']],
    ]);
    const input = jobGraph.vertices[1]!.inputs[0]!;
    expect(input.partitioner).toBe('REBALANCE');
    expect(input.keyOperatorId).toBe('');
  });

  it('keeps explicit rebalance and broadcast edges as network edges even at equal parallelism', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const s = source(env);
    s.rebalance().map((x) => x).sinkTo(new CollectSink());
    s.broadcast().map((x) => x).sinkTo(new CollectSink());
    const { jobGraph } = plan(env);
    expect(jobGraph.vertices).toHaveLength(3);
    expect(jobGraph.vertices.slice(1).map((v) => v.inputs[0]!.partitioner)).toEqual(['REBALANCE', 'BROADCAST']);
  });

  it('gives a union a vertex with two inputs', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    const a = source(env, 'a');
    const b = source(env, 'b');
    a.union(b)
      .map((x) => x)
      .sinkTo(new CollectSink());
    const { jobGraph } = plan(env);
    expect(jobGraph.vertices).toHaveLength(3);
    const [va, vb, merged] = jobGraph.vertices as [JobVertex, JobVertex, JobVertex];
    expect(va.isSource && vb.isSource).toBe(true);
    expect(merged.operators.map((o) => o.kind)).toEqual(['map', 'sink']);
    expect(merged.inputs.map((e) => e.sourceVertexId)).toEqual([va.id, vb.id]);
    expect(merged.inputs.map((e) => e.partitioner)).toEqual(['FORWARD', 'FORWARD']);
    expect(new Set(merged.inputs.map((e) => e.id)).size).toBe(2);
  });

  it('throws on a duplicate uid', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 1 });
    source(env)
      .map((x) => x)
      .uid('same')
      .filter(() => true)
      .uid('same')
      .sinkTo(new CollectSink());
    expect(() => plan(env)).toThrow(/duplicate uid "same"/);
  });

  it('derives operator ids that are stable across builds and change with a uid', () => {
    const build = (mapUid?: string): string[] => {
      const env = new StreamExecutionEnvironment({ parallelism: 2 });
      const mapped = source(env).keyBy((x) => x).map((x) => x * 3);
      if (mapUid !== undefined) mapped.uid(mapUid);
      mapped.sinkTo(new CollectSink());
      return plan(env).jobGraph.vertices.flatMap((v) => v.operators.map((o) => o.id));
    };
    const first = build();
    expect(build()).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    const withUid = build('my-map');
    expect(withUid).toEqual(build('my-map'));
    expect(withUid[1]).not.toBe(first[1]);
    expect([withUid[0], withUid[2]]).toEqual([first[0], first[2]]);
    expect(build('other-map')[1]).not.toBe(withUid[1]);
  });

  it.each([
    [1, 128],
    [2, 128],
    [85, 128],
    [86, 256],
  ])('defaults the max parallelism for parallelism %i to %i', (parallelism, expected) => {
    const env = new StreamExecutionEnvironment({ parallelism });
    source(env).map((x) => x).sinkTo(new CollectSink());
    expect(plan(env).jobGraph.vertices.map((v) => v.maxParallelism)).toEqual([expected]);
  });

  it('uses the environment max parallelism when set', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2, maxParallelism: 16 });
    source(env).keyBy((x) => x).map((x) => x).sinkTo(new CollectSink());
    expect(plan(env).jobGraph.vertices.map((v) => v.maxParallelism)).toEqual([16, 16]);
  });

  it('rejects a parallelism above the max parallelism', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    source(env).map((x) => x).setParallelism(20).setMaxParallelism(8).sinkTo(new CollectSink());
    expect(() => plan(env)).toThrow(/parallelism 20 above its max parallelism 8/);
  });

  it('produces a graph that validateJobGraph accepts', () => {
    const env = new StreamExecutionEnvironment({ parallelism: 2 });
    source(env).keyBy((x) => x).map((x) => x).setParallelism(3).sinkTo(new CollectSink()).setParallelism(3);
    const { jobGraph } = plan(env);
    expect(validateJobGraph(jobGraph).map((v) => v.id)).toEqual(jobGraph.vertices.map((v) => v.id));
  });
});
