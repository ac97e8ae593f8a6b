/** The shapes of user functions and the context they run in. */
import type { KeyGroupRange, KeyValue, KeySelector } from '../../common/key-groups.ts';
import type { KeyedStateStore } from './state.ts';

/** The key groups a subtask owns (the checkpoint contracts' KeyGroupRange), as `RuntimeContext` tells it. */
export type { KeyGroupRange };

/**
 * What a running operator knows about where it runs; passed to every user function and to `open`.
 * Its state getters work on keyed streams only (after `keyBy`); elsewhere they throw.
 */
export interface RuntimeContext extends KeyedStateStore {
  readonly jobId: string;
  readonly taskName: string;
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attempt: number;
  /** The key groups this subtask owns (Flink's formula); a keyed input only brings it keys of these groups. */
  readonly keyGroupRange: KeyGroupRange;
}

/** Receives the records a `flatMap` emits. */
export interface Collector<T> {
  collect(record: T): void;
}

/** Transforms one record into one record. */
export type MapFunction<T, R> = (value: T, context: RuntimeContext) => R;
/** Keeps the records for which it returns true. */
export type FilterFunction<T> = (value: T, context: RuntimeContext) => boolean;
export type { KeySelector };

/** Emits zero or more records per input record. */
export type FlatMapFunction<T, R> = (value: T, out: Collector<R>, context: RuntimeContext) => void;

/** Which clock a timer belongs to. */
export type TimeDomain = 'EVENT_TIME' | 'PROCESSING_TIME';

/** Timers of the current key, and the clocks they follow. */
export interface TimerService {
  currentProcessingTime(): number;
  /** The operator's current event time; -Infinity before the first watermark. */
  currentWatermark(): number;
  /** Fires `onTimer` once the watermark reaches `time`. One timer per key and time. */
  registerEventTimeTimer(time: number): void;
  /** Fires `onTimer` once the wall clock reaches `time`. */
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/** What a process function sees of the record it handles. */
export interface ProcessContext {
  /** The record's event time, or undefined when it has none. */
  timestamp(): number | undefined;
  /** Emits to a side output. */
  output<X>(tag: OutputTag<X>, value: X): void;
  /**
   * The operator's current event time, -Infinity before the first watermark. Also on a non-keyed
   * stream, so that a function chained to a source can tell a record behind its watermark.
   */
  currentWatermark(): number;
}

/** The context of a keyed process function: the key, and timers. */
export interface KeyedProcessContext<K> extends ProcessContext {
  getCurrentKey(): K;
  timerService(): TimerService;
}

/** The context of a timer callback. */
export interface OnTimerContext<K> extends KeyedProcessContext<K> {
  timeDomain(): TimeDomain;
}

/** Lifecycle hooks every rich function may have. */
export interface RichFunction {
  /** Runs once per subtask before the first record; may load data (for its key-group range, say). */
  open?(context: RuntimeContext): void | Promise<void>;
  /** Runs once when the subtask ends, after success or failure. */
  close?(): void | Promise<void>;
}

/** A low-level function over a non-keyed stream: records in, any number out, side outputs. */
export interface ProcessFunction<I, O> extends RichFunction {
  processElement(value: I, ctx: ProcessContext, out: Collector<O>): void;
}

/** A low-level function over a keyed stream, with keyed state (through the runtime context) and timers. */
export interface KeyedProcessFunction<K, I, O> extends RichFunction {
  processElement(value: I, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
}

/** Names a side output of an operator and the type of its records. */
export class OutputTag<T> {
  /** Only for type inference; never set. */
  declare readonly __type?: T;
  constructor(readonly id: string) {
    if (!id) throw new Error('an OutputTag needs a non-empty id');
  }
}

/** What a source sends to its `malformed` side output for a line it could not read. */
export interface MalformedRecord {
  input: string;
  raw: string;
  error: string;
}

/** The side output of every source: lines that could not be parsed or validated. */
export const MALFORMED = new OutputTag<MalformedRecord>('malformed');
