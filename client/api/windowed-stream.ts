/**
 * The implementation of WindowedStream (declared in streams.ts): it collects the window's
 * definition and, when finished, adds the 'window' operator whose spec carries all of it, behind
 * local window aggregates when the aggregate can be split.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { OutputTag } from './functions.ts';
import type { AggregateFunction, ReduceFunction } from './state.ts';
import type { StreamInput } from './stream-input.ts';
import type { DataStream, WindowedStream } from './streams.ts';
import type { Window } from './windowing/global-window.ts';
import type { ProcessWindowFunction } from './windowing/process-window-function.ts';
import type { Trigger } from './windowing/triggers/trigger.ts';
import { canAggregateLocally, envelopeKey, type LocalWindowAggregateSpec } from './windowing/local-window-aggregation.ts';
import { isMergingAssigner, type WindowAssigner } from './windowing/window-assigner.ts';
import type { AnyProcessWindowFunction, WindowFunctionSpec, WindowSpec } from './windowing/window-spec.ts';

/** A keyed stream cut into windows: see WindowedStream. */
export class WindowedStreamImpl<T, K extends KeyValue, W extends Window> implements WindowedStream<T, K, W> {
  private windowTrigger: Trigger<T, W>;
  private lateness = 0;
  private lateDataTag: string | undefined;

  /** `input` is the keyed stream; `evictToCount` keeps only that many elements when a window fires. */
  constructor(
    private readonly input: StreamInput<T>,
    private readonly assigner: WindowAssigner<T, W>,
    private readonly evictToCount?: number,
  ) {
    this.windowTrigger = assigner.defaultTrigger();
  }

  trigger(trigger: Trigger<T, W>): this {
    if (isMergingAssigner(this.assigner) && trigger.canMerge?.() !== true) {
      throw new Error(`a merging window assigner (${String(this.assigner)}) needs a trigger that supports merging; ${String(trigger)} does not`);
    }
    this.windowTrigger = trigger;
    return this;
  }

  allowedLateness(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`allowed lateness must be a finite number of ms >= 0; got ${String(ms)}`);
    if (ms > 0 && !this.assigner.isEventTime) throw new Error(`allowed lateness applies to event-time windows only, not ${String(this.assigner)}`);
    this.lateness = ms;
    return this;
  }

  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateDataTag = tag.id;
    return this;
  }

  reduce(fn: ReduceFunction<T>): DataStream<T>;
  reduce<R>(fn: ReduceFunction<T>, process: ProcessWindowFunction<T, R, K, W>): DataStream<R>;
  reduce<R>(fn: ReduceFunction<T>, process?: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.build<R>({ kind: 'reduce', reduce: fn as ReduceFunction<unknown>, process: erase(process) }, 'Reduce');
  }

  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): DataStream<V>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, process: ProcessWindowFunction<V, R, K, W>): DataStream<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, process?: ProcessWindowFunction<V, R, K, W>): DataStream<R> {
    const aggregate = fn as unknown as AggregateFunction<unknown, unknown, unknown>;
    return this.build<R>({ kind: 'aggregate', aggregate, process: erase(process) }, 'Aggregate');
  }

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
