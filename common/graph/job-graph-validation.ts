/**
 * Validation of a JobGraph as it arrives over the wire. The JobManager trusts nothing a client
 * sends: every reference must resolve, parallelism must be sane, and the graph must be acyclic.
 */
import { invalidArgument } from '../errors.ts';
import { UPPER_BOUND_MAX_PARALLELISM } from '../key-groups.ts';
import type { JobGraph, JobVertex } from '../rpc/index.ts';

/** The partitioners an edge may name (an unknown enum number decodes as a number). */
const PARTITIONERS: ReadonlySet<unknown> = new Set(['FORWARD', 'REBALANCE', 'BROADCAST', 'HASH']);

/** Checks a job graph and returns its vertices in topological order; throws an INVALID_ARGUMENT error naming the problem. */
export function validateJobGraph(graph: JobGraph): JobVertex[] {
  const problems: string[] = [];
  if (graph.vertices.length === 0) problems.push('the job graph has no vertices');
  const byId = new Map<string, JobVertex>();
  const operatorIds = new Set<string>();
  const uids = new Set<string>();
  const edgeIds = new Set<string>();
  for (const v of graph.vertices) {
    if (!v.id) problems.push('a vertex has an empty id');
    if (byId.has(v.id)) problems.push(`duplicate vertex id ${v.id}`);
    byId.set(v.id, v);
    if (!Number.isInteger(v.parallelism) || v.parallelism < 1) problems.push(`vertex "${v.name}" has invalid parallelism ${v.parallelism}`);
    if (!Number.isInteger(v.maxParallelism) || v.maxParallelism < 1 || v.maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
      problems.push(`vertex "${v.name}" has invalid max parallelism ${v.maxParallelism}`);
    } else if (v.parallelism > v.maxParallelism) {
      problems.push(`vertex "${v.name}" has parallelism ${v.parallelism} above its max parallelism ${v.maxParallelism}`);
    }
    if (v.operators.length === 0) problems.push(`vertex "${v.name}" has no operators`);
    for (const op of v.operators) {
      if (!op.id) problems.push(`vertex "${v.name}" has an operator with an empty id`);
      if (operatorIds.has(op.id)) problems.push(`duplicate operator id ${op.id}`);
      operatorIds.add(op.id);
      if (op.uid) {
        if (uids.has(op.uid)) problems.push(`duplicate uid "${op.uid}"`);
        uids.add(op.uid);
      }
    }
    if (v.isSource && v.inputs.length > 0) problems.push(`source vertex "${v.name}" has inputs`);
    if (!v.isSource && v.inputs.length === 0) problems.push(`vertex "${v.name}" has no inputs and is not a source`);
  }
  for (const v of graph.vertices) {
    for (const e of v.inputs) {
      if (!e.id || edgeIds.has(e.id)) problems.push(`edge into "${v.name}" has a missing or duplicate id "${e.id}"`);
      edgeIds.add(e.id);
      if (!PARTITIONERS.has(e.partitioner)) problems.push(`edge "${e.id}" into "${v.name}" has an unknown partitioner ${JSON.stringify(e.partitioner)}`);
      const from = byId.get(e.sourceVertexId);
      if (!from) {
        problems.push(`vertex "${v.name}" reads from unknown vertex ${e.sourceVertexId}`);
        continue;
      }
      if (e.partitioner === 'FORWARD' && from.parallelism !== v.parallelism) {
        problems.push(`forward edge "${from.name}" -> "${v.name}" joins different parallelisms (${from.parallelism} and ${v.parallelism})`);
      }
      if (e.partitioner === 'HASH' && !e.keyOperatorId) problems.push(`hash edge into "${v.name}" has no key selector`);
    }
  }
  if (problems.length > 0) throw invalidArgument(`invalid job graph: ${problems.join('; ')}`);
  return topologicalOrder(graph.vertices, byId);
}

/**
 * Orders vertices so that every producer comes before its consumers, with an explicit stack (a
 * chain of many thousand vertices must not exhaust the call stack); throws naming a cycle.
 */
function topologicalOrder(vertices: readonly JobVertex[], byId: Map<string, JobVertex>): JobVertex[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: JobVertex[] = [];
  for (const root of vertices) {
    if (state.has(root.id)) continue;
    // The path from `root` to the vertex on top, each with the index of the next input to visit.
    const path: { vertex: JobVertex; next: number }[] = [{ vertex: root, next: 0 }];
    state.set(root.id, 'visiting');
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const input = top.vertex.inputs[top.next++];
      if (input === undefined) {
        path.pop();
        state.set(top.vertex.id, 'done');
        order.push(top.vertex);
        continue;
      }
      const from = byId.get(input.sourceVertexId);
      if (from === undefined) continue;
      const s = state.get(from.id);
      if (s === 'done') continue;
      if (s === 'visiting') {
        const cycle = path.slice(path.findIndex((p) => p.vertex === from)).map((p) => p.vertex.name);
        throw invalidArgument(`invalid job graph: cycle through ${[...cycle, from.name].join(' -> ')}`);
      }
      state.set(from.id, 'visiting');
      path.push({ vertex: from, next: 0 });
    }
  }
  return order;
}
