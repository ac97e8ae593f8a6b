/**
 * Turns the logical StreamGraph into the JobGraph the JobManager schedules: resolves parallelism
 * and partitioning, and chains operators joined by a forward edge of equal parallelism into one
 * vertex. The TaskManager runs the same function on the graph it rebuilds from the bundle, so both
 * sides agree on vertices, chains and edges without shipping them.
 */
import { defaultMaxParallelism, validateMaxParallelism } from '../key-groups.ts';
import { validateJobGraph } from './job-graph-validation.ts';
import type { JobGraph } from '../rpc/index.ts';
import type { Partitioning, StreamEdge, StreamGraph, StreamNode } from './stream-graph.ts';

/** One vertex: its chained operators and the edges that cross the network. */
export interface VertexPlan {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Operators of the chain, head first, in topological order. */
  readonly nodes: readonly StreamNode[];
  /** Network edges into the head of the chain. */
  readonly inputs: readonly StreamEdge[];
  /** Network edges out of any operator of the chain. */
  readonly outputs: readonly StreamEdge[];
}

/** The JobGraph plus, per vertex, how it maps onto the logical graph. */
export interface JobPlan {
  readonly jobGraph: JobGraph;
  readonly vertices: ReadonlyMap<string, VertexPlan>;
  /** Resolved parallelism and max parallelism per node index. */
  readonly parallelism: ReadonlyMap<StreamNode, { parallelism: number; maxParallelism: number }>;
}

const PARTITIONER = { forward: 'FORWARD', rebalance: 'REBALANCE', broadcast: 'BROADCAST', hash: 'HASH' } as const;

/** The id of the JobEdge that carries a stream edge. */
export function jobEdgeId(edge: StreamEdge): string {
  return `e${edge.index}`;
}

/** Resolves, chains and validates a logical graph. */
export function buildJobPlan(
  name: string,
  graph: StreamGraph,
  defaults: { parallelism: number; maxParallelism?: number },
  args: Readonly<Record<string, string>> = {},
): JobPlan {
  if (!Number.isInteger(defaults.parallelism) || defaults.parallelism < 1) {
    throw new Error(`invalid parallelism ${defaults.parallelism}: it must be a positive integer`);
  }
  if (graph.nodes.length === 0) throw new Error('the job defines no operators');
  if (!graph.nodes.some((n) => n.kind === 'source')) throw new Error('the job has no source');
  const uids = new Map<string, StreamNode>();
  for (const n of graph.nodes) {
    if (n.uid === undefined) continue;
    const other = uids.get(n.uid);
    if (other) throw new Error(`duplicate uid "${n.uid}" on operators "${other.name}" and "${n.name}"`);
    uids.set(n.uid, n);
  }

  const resolved = new Map<StreamNode, { parallelism: number; maxParallelism: number }>();
  for (const n of graph.nodes) {
    // A derived node runs chained to its single producer, so it takes the producer's settings.
    const producer = n.derivedFrom !== undefined ? n.inputs[0]?.from : undefined;
    const inherited = producer !== undefined ? resolved.get(producer) : undefined;
    if (inherited !== undefined) {
      resolved.set(n, inherited);
      continue;
    }
    const parallelism = n.parallelism ?? defaults.parallelism;
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new Error(`operator "${n.name}" has invalid parallelism ${parallelism}`);
    const maxParallelism = n.maxParallelism ?? defaults.maxParallelism ?? defaultMaxParallelism(parallelism);
    validateMaxParallelism(maxParallelism);
    if (parallelism > maxParallelism) {
      throw new Error(`operator "${n.name}" has parallelism ${parallelism} above its max parallelism ${maxParallelism}`);
    }
    resolved.set(n, { parallelism, maxParallelism });
  }
  const res = (n: StreamNode): { parallelism: number; maxParallelism: number } => resolved.get(n)!;

  for (const e of graph.edges) {
    if (e.partitioning === 'forward' && res(e.from).parallelism !== res(e.to).parallelism) e.partitioning = 'rebalance';
  }

  const head = new Map<StreamNode, StreamNode>();
  for (const n of graph.nodes) {
    const only = n.inputs[0];
    const chainable =
      n.kind !== 'source' &&
      n.inputs.length === 1 &&
      only !== undefined &&
      only.partitioning === 'forward' &&
      res(only.from).parallelism === res(n).parallelism &&
      res(only.from).maxParallelism === res(n).maxParallelism;
    head.set(n, chainable && only ? head.get(only.from)! : n);
  }

  const vertices = new Map<string, VertexPlan>();
  const byHead = new Map<StreamNode, StreamNode[]>();
  for (const n of graph.nodes) {
    const h = head.get(n)!;
    const list = byHead.get(h) ?? [];
    list.push(n);
    byHead.set(h, list);
  }
  for (const [h, nodes] of byHead) {
    vertices.set(h.id, {
      id: h.id,
      name: nodes.map((n) => n.name).join(' -> '),
      parallelism: res(h).parallelism,
      maxParallelism: res(h).maxParallelism,
      nodes,
      inputs: h.inputs,
      outputs: nodes.flatMap((n) => n.outputs.filter((e) => head.get(e.to) === e.to)),
    });
  }

  const jobGraph: JobGraph = {
    name,
    defaultParallelism: defaults.parallelism,
    args: { ...args },
    vertices: [...vertices.values()].map((v) => ({
      id: v.id,
      name: v.name,
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      isSource: v.nodes[0]?.kind === 'source',
      operators: v.nodes.map((n) => ({ id: n.id, uid: n.uid ?? '', name: n.name, kind: n.kind })),
      inputs: v.inputs.map((e) => ({
        id: jobEdgeId(e),
        sourceVertexId: head.get(e.from)!.id,
        partitioner: PARTITIONER[e.partitioning satisfies Partitioning],
        keyOperatorId: e.partitioning === 'hash' ? e.to.id : '',
        inputIndex: e.inputIndex,
      })),
    })),
  };
  validateJobGraph(jobGraph);
  return { jobGraph, vertices, parallelism: resolved };
}
