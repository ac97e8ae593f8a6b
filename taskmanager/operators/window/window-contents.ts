/**
 * How a window operator keeps the elements of a window in keyed state and turns them into
 * results: a reducing or aggregating state folds elements as they come (and hands the window
 * function one value), a list state keeps them all for a process window function, and an
 * evicting list keeps the last N elements (count windows with a slide).
 */
import { type AggregateFunction, AggregatingStateDescriptor, type AnyProcessWindowFunction, type Collector, ListStateDescriptor, type ReduceFunction, ReducingStateDescriptor, type WindowFunctionSpec } from '../../../client/runtime.ts';
import type { InternalListState, InternalMergingState, KeyedStateBackend } from '../../state/keyed-state-backend.ts';
import type { WindowProcessContext } from './window-process-context.ts';

/** The name of the state holding window contents (one entry per key and window). */
export const WINDOW_CONTENTS_STATE = 'sluice.window.contents';

/** See the module comment. */
export interface WindowContents {
  /** The state of contents and merges; its namespace is a window's. */
  readonly state: InternalMergingState;
  add(element: unknown): void;
  /** Merges a local window aggregate's partial accumulator (aggregate contents only). */
  mergePartial(accumulator: unknown): void;
  /** Runs the window function over the contents of the current namespace, when there are any. */
  emit(key: unknown, context: WindowProcessContext, out: Collector<unknown>): void;
  clear(): void;
}

/** Hands a single pre-aggregated value to the process function, or emits it as the result. */
function emitSingle(value: unknown, process: AnyProcessWindowFunction | undefined, key: unknown, context: WindowProcessContext, out: Collector<unknown>): void {
  if (process === undefined) out.collect(value);
  else process.process(key, context, [value], out);
}

/** Partials come from local window aggregates, which only aggregate windows have. */
function rejectPartial(): never {
  throw new Error('only aggregate windows take partial accumulators');
}

/** Contents folded with a reduce function or an aggregate function as elements arrive. */
class FoldedContents implements WindowContents {
  constructor(
    readonly state: InternalMergingState & { get(): unknown; add(value: unknown): void; clear(): void; mergeAccumulator?(accumulator: unknown): void },
    private readonly process: AnyProcessWindowFunction | undefined,
  ) {}

  add(element: unknown): void {
    this.state.add(element);
  }

  mergePartial(accumulator: unknown): void {
    if (this.state.mergeAccumulator === undefined) rejectPartial();
    this.state.mergeAccumulator(accumulator);
  }

  emit(key: unknown, context: WindowProcessContext, out: Collector<unknown>): void {
    const value = this.state.get();
    if (value !== undefined) emitSingle(value, this.process, key, context, out);
  }

  clear(): void {
    this.state.clear();
  }
}

/** Contents kept as the list of every element: adding, clearing, and no partials. */
abstract class ListedContents implements WindowContents {
  readonly state: InternalListState<unknown>;

  constructor(backend: KeyedStateBackend) {
    this.state = backend.getInternalListState(new ListStateDescriptor<unknown>(WINDOW_CONTENTS_STATE));
  }

  add(element: unknown): void {
    this.state.add(element);
  }

  mergePartial(): void {
    rejectPartial();
  }

  abstract emit(key: unknown, context: WindowProcessContext, out: Collector<unknown>): void;

  clear(): void {
    this.state.clear();
  }
}

/** Every element, for a process window function. */
class ListContents extends ListedContents {
  constructor(
    backend: KeyedStateBackend,
    private readonly process: AnyProcessWindowFunction,
  ) {
    super(backend);
  }

  emit(key: unknown, context: WindowProcessContext, out: Collector<unknown>): void {
    const elements = this.state.get();
    if (elements.length > 0) this.process.process(key, context, elements, out);
  }
}

/** Folds a non-empty list with a reduce or aggregate function, as the non-evicting states would have. */
function fold(elements: readonly unknown[], fn: Exclude<WindowFunctionSpec, { kind: 'process' }>): unknown {
  if (fn.kind === 'reduce') {
    let acc = elements[0];
    for (let i = 1; i < elements.length; i++) acc = fn.reduce(acc, elements[i]);
    return acc;
  }
  let acc = fn.aggregate.createAccumulator();
  for (const element of elements) acc = fn.aggregate.add(element, acc);
  return fn.aggregate.getResult(acc);
}

/** Every element; before each evaluation only the last `maxCount` are kept (Flink's CountEvictor). */
class EvictingContents extends ListedContents {
  constructor(
    backend: KeyedStateBackend,
    private readonly maxCount: number,
    private readonly fn: WindowFunctionSpec,
  ) {
    super(backend);
  }

  emit(key: unknown, context: WindowProcessContext, out: Collector<unknown>): void {
    let elements = this.state.get();
    if (elements.length === 0) return;
    if (elements.length > this.maxCount) {
      elements = elements.slice(elements.length - this.maxCount);
      this.state.update(elements);
    }
    const fn = this.fn;
    if (fn.kind === 'process') fn.process.process(key, context, elements, out);
    else emitSingle(fold(elements, fn), fn.process, key, context, out);
  }
}

/** The contents of a window operator with window function `fn`, evicting to `evictToCount` if set. */
export function createWindowContents(backend: KeyedStateBackend, fn: WindowFunctionSpec, evictToCount: number | undefined): WindowContents {
  if (evictToCount !== undefined) return new EvictingContents(backend, evictToCount, fn);
  switch (fn.kind) {
    case 'reduce':
      return new FoldedContents(
        backend.getInternalReducingState(new ReducingStateDescriptor<unknown>(WINDOW_CONTENTS_STATE, fn.reduce as ReduceFunction<unknown>)),
        fn.process,
      );
    case 'aggregate':
      return new FoldedContents(
        backend.getInternalAggregatingState(
          new AggregatingStateDescriptor<unknown, unknown, unknown>(WINDOW_CONTENTS_STATE, fn.aggregate as AggregateFunction<unknown, unknown, unknown>),
        ),
        fn.process,
      );
    case 'process':
      return new ListContents(backend, fn.process);
  }
}
