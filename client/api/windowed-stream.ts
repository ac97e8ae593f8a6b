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
    return this.input.addOperator<R>('window', name, { fn: fn.kind === 'reduce' ? fn.reduce : fn.kind === 'aggregate' ? fn.aggregate : fn.process, spec });
  }
}

function erase<IN, OUT, K, W extends Window>(fn: ProcessWindowFunction<IN, OUT, K, W> | undefined): AnyProcessWindowFunction | undefined {
  return fn as unknown as AnyProcessWindowFunction | undefined;
}
