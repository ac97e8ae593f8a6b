/** The shapes of user functions and the context they run in. */
import type { KeyValue } from '../../common/key-groups.ts';

/** What a running operator knows about where it runs; passed to every user function. */
export interface RuntimeContext {
  readonly jobId: string;
  readonly taskName: string;
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attempt: number;
}

/** Receives the records a `flatMap` emits. */
export interface Collector<T> {
  collect(record: T): void;
}

/** Transforms one record into one record. */
export type MapFunction<T, R> = (value: T, context: RuntimeContext) => R;
/** Keeps the records for which it returns true. */
export type FilterFunction<T> = (value: T, context: RuntimeContext) => boolean;
/** Emits zero or more records per input record. */
export type FlatMapFunction<T, R> = (value: T, out: Collector<R>, context: RuntimeContext) => void;
/** Extracts the key a keyed stream is partitioned by. */
export type KeySelector<T> = (value: T) => KeyValue;

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
