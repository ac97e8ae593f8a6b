/**
 * Builds a window operator through the public API (so the tests cover the windowed stream's spec
 * too) and runs it in the operator harness with real LevelDB state and timers.
 */
import { afterEach } from 'vitest';
import { fromCollection } from '../../../connectors/index.ts';
import type { KeyedStream } from '../../../client/api/streams.ts';
import { StreamExecutionEnvironment } from '../../../client/api/environment.ts';
import type { KeySelector } from '../../../client/api/functions.ts';
import type { StreamNode } from '../../../common/graph/stream-graph.ts';
import type { WindowSpec } from '../../../client/api/windowing/window-spec.ts';
import type { KeyValue } from '../../../common/key-groups.ts';
import type { InternalTimerService, KeyedStateBackend } from '../../../taskmanager/state/keyed-state-backend.ts';
import { WindowOperator } from '../../../taskmanager/operators/window/window-operator.ts';
import { OperatorHarness, type HarnessOptions } from '../../support/operator-harness.ts';

/** A running window operator and what the test inspects. */
export interface WindowFixture {
  readonly harness: OperatorHarness<WindowOperator>;
  readonly backend: KeyedStateBackend;
  readonly timers: InternalTimerService;
  readonly node: StreamNode;
}

const open: OperatorHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close().catch(() => undefined);
});

/** The last 'window' node of an environment's graph. */
export function windowNode(env: StreamExecutionEnvironment): StreamNode {
  const node = env.graph.nodes.filter((n) => n.kind === 'window').at(-1);
  if (!node) throw new Error('the job has no window operator');
  return node;
}

/** Runs the window operator that `build` puts after `keyBy(key)` over a stream of T. */
export async function openWindow<T, K extends KeyValue>(
  key: (value: T) => K,
  build: (keyed: KeyedStream<T, K>) => unknown,
  options: HarnessOptions = {},
): Promise<WindowFixture> {
  // The harness feeds records straight to the window operator, so no local phase goes before it.
  const env = new StreamExecutionEnvironment({ localWindowAggregation: { enabled: false } });
  build(env.fromSource(fromCollection<T>([])).keyBy(key));
  return openNode(windowNode(env), options);
}

/** Runs the window operator of a graph node, keyed by its input edge's selector. */
export async function openNode(node: StreamNode, options: HarnessOptions = {}): Promise<WindowFixture> {
  const keySelector = node.inputs[0]?.keySelector as KeySelector<unknown> | undefined;
  if (!keySelector) throw new Error('the window node has no keyed input');
  let keyed: { backend: KeyedStateBackend; timers: InternalTimerService } | undefined;
  const harness = await OperatorHarness.open(
    (setup) => {
      keyed = setup.keyed;
      return new WindowOperator(setup, node.spec as WindowSpec);
    },
    { keySelectors: [keySelector], ...options },
  );
  open.push(harness);
  return { harness, backend: keyed!.backend, timers: keyed!.timers, node };
}

/** Emitted records as [value, timestamp] pairs, in order. */
export function emitted(harness: OperatorHarness): [unknown, number][] {
  return harness.output.records.map((r) => [r.value, r.timestamp]);
}

/** Sorts values by their JSON text, for comparisons where emission order across keys is not defined. */
export function sortedByJson<T>(values: readonly T[]): T[] {
  return values.slice().sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}
