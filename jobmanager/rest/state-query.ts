/**
 * Queryable state over REST: `GET /jobs/:id/state/<name>/<key>` is routed to the running subtask
 * that owns the key's key group, vertex by vertex (a vertex whose tasks declare no state of that
 * name answers UNKNOWN_STATE), and asked through its TaskManager's gateway. A key of decimal
 * digits (a safe integer) is a number key, as `keyBy` on a numeric field makes; anything else is a
 * string key; `?type=string` forces a string.
 */
import { assignToKeyGroup, computeOperatorIndexForKeyGroup, type KeyValue } from '../../common/key-groups.ts';
import type { Execution } from '../jobmaster/execution-graph.ts';

/** The answer of a query: the owner's value, or why there is none. */
export type StateQueryResult =
  | { readonly found: true; readonly body: { name: string; key: KeyValue; value: unknown; vertex: string; subtask: number; taskmanager: string } }
  | { readonly found: false; readonly error: string };

/** The key a URL path segment names. */
export function parseStateKey(text: string, forceString: boolean): KeyValue {
  if (!forceString && /^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

/** Asks the owners of `key` among the running executions for state `name`. */
export async function queryState(jobId: string, executions: readonly Execution[], name: string, key: KeyValue): Promise<StateQueryResult> {
  const running = executions.filter((e) => e.state === 'RUNNING' && e.slot !== undefined);
  const vertices = new Map(running.map((e) => [e.vertex.id, e.vertex]));
  let declared = false;
  for (const vertex of vertices.values()) {
    const subtask = computeOperatorIndexForKeyGroup(vertex.maxParallelism, vertex.parallelism, assignToKeyGroup(key, vertex.maxParallelism));
    const owner = running.find((e) => e.vertex.id === vertex.id && e.subtask === subtask);
    if (!owner?.slot) continue;
    const answer = await owner.slot.taskManager.gateway.queryState({ jobId, executionId: owner.id, stateName: name, keyJson: JSON.stringify(key) });
    if (answer.status === 'UNKNOWN_STATE') continue;
    declared = true;
    if (answer.status === 'FOUND') {
      return { found: true, body: { name, key, value: JSON.parse(answer.valueJson) as unknown, vertex: vertex.name, subtask, taskmanager: owner.slot.taskManager.id } };
    }
  }
  if (declared) return { found: false, error: `job ${jobId}: state "${name}" has no value for key ${JSON.stringify(key)}` };
  return { found: false, error: `job ${jobId}: no running task declares a queryable state "${name}"` };
}
