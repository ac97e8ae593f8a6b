/**
 * The broadcast state pattern: a low-volume stream (rules, configuration) is broadcast to every
 * subtask of an operator and kept there in broadcast state, against which the records of another
 * stream are evaluated. Only the broadcast side may change broadcast state, so every subtask,
 * seeing the same broadcast records, keeps the same copy.
 */
import type { Collector, OutputTag, RichFunction, TimeDomain, TimerService } from './functions.ts';
import type { MapStateDescriptor, MapStateKey } from './state.ts';

/** Broadcast state as the non-broadcast side sees it: reads only. */
export interface ReadOnlyBroadcastState<K extends MapStateKey, V> {
  get(key: K): V | undefined;
  contains(key: K): boolean;
  /** A copy of the entries, in insertion order. */
  entries(): [K, V][];
  keys(): K[];
  values(): V[];
  size(): number;
}

/** Broadcast state as the broadcast side sees it: reads and writes. */
export interface BroadcastState<K extends MapStateKey, V> extends ReadOnlyBroadcastState<K, V> {
  put(key: K, value: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  remove(key: K): void;
  clear(): void;
}

/** What both sides of a broadcast process function see of the record they handle. */
export interface BroadcastContextBase {
  /** The record's event time, or undefined when it has none. */
  timestamp(): number | undefined;
  /** The operator's current event time; -Infinity before the first watermark. */
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** Emits to a side output. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** The context of `processElement`: broadcast state, read-only. */
export interface ReadOnlyBroadcastContext extends BroadcastContextBase {
  /** Throws when the descriptor was not passed to `broadcast(...)`. */
  getBroadcastState<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V>;
}

/** The context of `processBroadcastElement`: broadcast state, writable. */
export interface BroadcastContext extends BroadcastContextBase {
  /** Throws when the descriptor was not passed to `broadcast(...)`. */
  getBroadcastState<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>;
}

/** The context of `processElement` on a keyed stream: adds the key and timers. */
export interface KeyedReadOnlyBroadcastContext<K> extends ReadOnlyBroadcastContext {
  getCurrentKey(): K;
  timerService(): TimerService;
}

/** The context of `onTimer` of a keyed broadcast process function. */
export interface KeyedBroadcastOnTimerContext<K> extends KeyedReadOnlyBroadcastContext<K> {
  timeDomain(): TimeDomain;
}

/** Evaluates the records of a non-keyed stream against broadcast state kept from a broadcast stream. */
export interface BroadcastProcessFunction<A, B, O> extends RichFunction {
  /** A record of the non-broadcast stream (input 0). */
  processElement(value: A, ctx: ReadOnlyBroadcastContext, out: Collector<O>): void;
  /** A record of the broadcast stream (input 1); every subtask receives every one. */
  processBroadcastElement(value: B, ctx: BroadcastContext, out: Collector<O>): void;
}

/**
 * Evaluates the records of a keyed stream against broadcast state, with keyed state and timers on
 * the keyed side. `processBroadcastElement` runs outside any key: it must not use keyed state.
 */
export interface KeyedBroadcastProcessFunction<K, A, B, O> extends RichFunction {
  /** A record of the keyed stream (input 0); the current key is its key. */
  processElement(value: A, ctx: KeyedReadOnlyBroadcastContext<K>, out: Collector<O>): void;
  /** A record of the broadcast stream (input 1); every subtask receives every one. */
  processBroadcastElement(value: B, ctx: BroadcastContext, out: Collector<O>): void;
  /** A timer of the current key fired. */
  onTimer?(timestamp: number, ctx: KeyedBroadcastOnTimerContext<K>, out: Collector<O>): void;
}
