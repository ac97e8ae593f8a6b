/** User functions over two connected streams: one method per input, sharing state and timers. */
import type { Collector, KeyedProcessContext, OnTimerContext, ProcessContext, RichFunction } from './functions.ts';

/**
 * A low-level function over two connected, non-keyed streams: `processElement1` handles records of
 * the first stream, `processElement2` those of the second; both may emit to the same output.
 */
export interface CoProcessFunction<A, B, O> extends RichFunction {
  processElement1(value: A, ctx: ProcessContext, out: Collector<O>): void;
  processElement2(value: B, ctx: ProcessContext, out: Collector<O>): void;
}

/**
 * A low-level function over two streams keyed alike: records of both inputs with the same key see
 * the same keyed state (through the runtime context) and timers.
 */
export interface KeyedCoProcessFunction<K, A, B, O> extends RichFunction {
  processElement1(value: A, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  processElement2(value: B, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  /** A timer of the current key fired. */
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
}
