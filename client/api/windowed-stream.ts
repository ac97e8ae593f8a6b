/**
 * A keyed stream cut into windows (`keyBy(...).window(assigner)` or `.countWindow(n)`): set the
 * trigger, lateness and late-data output, then finish it with `reduce`, `aggregate` or `process`,
 * which adds a 'window' operator whose spec carries the whole definition.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { DataStream, KeyedStream } from './data-stream.ts';
import type { OutputTag } from './functions.ts';
import type { AggregateFunction, ReduceFunction } from './state.ts';
import type { Window } from './windowing/global-window.ts';
import type { ProcessWindowFunction } from './windowing/process-window-function.ts';
import type { Trigger } from './windowing/triggers/trigger.ts';
import { canAggregateLocally, envelopeKey, type LocalWindowAggregateSpec } from './windowing/local-window-aggregation.ts';
import { isMergingAssigner, type WindowAssigner } from './windowing/window-assigner.ts';
import type { AnyProcessWindowFunction, WindowFunctionSpec, WindowSpec } from './windowing/window-spec.ts';

/** See the module comment. */
export class WindowedStream<T, K extends KeyValue, W extends Window> {
  private windowTrigger: Trigger<T, W>;
  private lateness = 0;
  private lateDataTag: string | undefined;

  /** @internal Use `KeyedStream.window` or `KeyedStream.countWindow`. */
  constructor(
    private readonly input: KeyedStream<T, K>,
    private readonly assigner: WindowAssigner<T, W>,
    private readonly evictToCount?: number,
  ) {
    this.windowTrigger = assigner.defaultTrigger();
  }

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<T, W>): this {
    if (isMergingAssigner(this.assigner) && trigger.canMerge?.() !== true) {
      throw new Error(`a merging window assigner (${String(this.assigner)}) needs a trigger that supports merging; ${String(trigger)} does not`);
    }
    this.windowTrigger = trigger;
    return this;
  }

  /**
   * Keeps each window's state `ms` of event time past its end: elements arriving meanwhile are
   * added and re-fire it (with the default trigger). Event-time windows only; default 0.
   */
  allowedLateness(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`allowed lateness must be a finite number of ms >= 0; got ${String(ms)}`);
    if (ms > 0 && !this.assigner.isEventTime) throw new Error(`allowed lateness applies to event-time windows only, not ${String(this.assigner)}`);
    this.lateness = ms;
    return this;
  }

  /** Sends elements that arrive after their windows were cleaned up to `tag` instead of dropping them. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateDataTag = tag.id;
    return this;
  }

  /** Folds each window's elements with `fn` as they arrive and emits the result when it fires. */
  reduce(fn: ReduceFunction<T>): DataStream<T>;
  /** Folds with `fn`, then hands the single result to `process` together with the window. */
  reduce<R>(fn: ReduceFunction<T>, process: ProcessWindowFunction<T, R, K, W>): DataStream<R>;
  reduce<R>(fn: ReduceFunction<T>, process?: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.build<R>({ kind: 'reduce', reduce: fn as ReduceFunction<unknown>, process: erase(process) }, 'Reduce');
  }

  /** Aggregates each window's elements incrementally and emits `getResult` when it fires. */
  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): DataStream<V>;
  /** Aggregates incrementally, then hands the single result to `process` together with the window. */
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, process: ProcessWindowFunction<V, R, K, W>): DataStream<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, process?: ProcessWindowFunction<V, R, K, W>): DataStream<R> {
    const aggregate = fn as unknown as AggregateFunction<unknown, unknown, unknown>;
    return this.build<R>({ kind: 'aggregate', aggregate, process: erase(process) }, 'Aggregate');
  }

  /** Keeps every element of a window and hands them all to `fn` when it fires. */
  process<R>(fn: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.build<R>({ kind: 'process', process: erase(fn)! }, 'Process');
  }

  private build<R>(fn: WindowFunctionSpec, what: string): DataStream<R> {
    const spec: WindowSpec = {
      assigner: this.assigner as unknown as WindowSpec['assigner'],
      trigger: this.windowTrigger as unknown as WindowSpec['trigger'],
      allowedLateness: this.lateness,
      lateDataTag: this.lateDataTag,
      evictToCount: this.evictToCount,
      fn,
    };
    const name = `Window(${String(this.assigner)}, ${String(this.windowTrigger)}, ${what})`;
    const userFn = fn.kind === 'reduce' ? fn.reduce : fn.kind === 'aggregate' ? fn.aggregate : fn.process;
    const local = this.input.defaults.localWindowAggregation();
    if (fn.kind !== 'aggregate' || !local.enabled || !canAggregateLocally(spec)) return this.input.addOperator<R>('window', name, { fn: userFn, spec });
    return this.aggregateLocally<R>({ ...spec, locallyAggregated: true }, name, userFn, fn.aggregate, local.maxEntries);
  }

  /**
   * Adds the window operator behind one local window aggregate per producer, each fed as the
   * window would have been and chained to its producer; the window takes their envelopes by key.
   */
  private aggregateLocally<R>(spec: WindowSpec, name: string, userFn: unknown, aggregate: LocalWindowAggregateSpec['aggregate'], maxEntries: number): DataStream<R> {
    const { graph, producers } = this.input;
    const window = graph.addNode('window', name, { fn: userFn, spec });
    producers.forEach((producer, i) => {
      const localSpec: LocalWindowAggregateSpec = { assigner: spec.assigner, aggregate, keySelector: producer.keySelector!, maxEntries };
      const local = graph.addDerivedNode(window, i, 'localWindowAggregate', `LocalWindowAggregate(${String(this.assigner)})`, localSpec);
      graph.addEdge(producer.node, local, { partitioning: 'forward', sideOutput: producer.sideOutput });
      graph.addEdge(local, window, { partitioning: 'hash', keySelector: envelopeKey });
    });
    return this.input.streamOf<R>(window);
  }
}

function erase<IN, OUT, K, W extends Window>(fn: ProcessWindowFunction<IN, OUT, K, W> | undefined): AnyProcessWindowFunction | undefined {
  return fn as unknown as AnyProcessWindowFunction | undefined;
}
