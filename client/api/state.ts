/**
 * Keyed state as user functions see it: descriptors that name a state, and the state handles a
 * runtime context returns for them. Every handle reads and writes the state of the current key
 * (the key of the record or timer being processed), synchronously.
 */

/** Which accesses refresh a TTL'd entry's clock. */
export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite';

/** Time-to-live of state entries, measured in processing time. */
export interface StateTtlConfig {
  /** How long an entry lives after its last refresh. */
  readonly ttlMs: number;
  /** Default `OnCreateAndWrite`. */
  readonly updateType?: TtlUpdateType;
}

/** A single value per key. */
export interface ValueState<T> {
  /** The value, or the descriptor's default when unset or expired. */
  value(): T | undefined;
  /** Replaces the value; `undefined` clears it. */
  update(value: T | undefined): void;
  clear(): void;
}

/** A list of values per key. */
export interface ListState<T> {
  /** The elements in insertion order; empty when unset. */
  get(): T[];
  add(value: T): void;
  addAll(values: readonly T[]): void;
  /** Replaces the whole list. */
  update(values: readonly T[]): void;
  clear(): void;
}

/** The key type of a map state's entries. */
export type MapStateKey = string | number;

/** A map per key. */
export interface MapState<K extends MapStateKey, V> {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  remove(key: K): void;
  contains(key: K): boolean;
  /** The entries, in insertion order. */
  entries(): [K, V][];
  keys(): K[];
  values(): V[];
  isEmpty(): boolean;
  clear(): void;
}

/** A value folded from everything added, by a reduce function. */
export interface ReducingState<T> {
  /** The reduced value, or undefined when nothing was added. */
  get(): T | undefined;
  add(value: T): void;
  clear(): void;
}

/** An accumulator folded from everything added, read through an aggregate function's result. */
export interface AggregatingState<IN, OUT> {
  /** The aggregate's result, or undefined when nothing was added. */
  get(): OUT | undefined;
  add(value: IN): void;
  clear(): void;
}

/** Combines two values into one; must be associative. */
export type ReduceFunction<T> = (a: T, b: T) => T;

/** An incremental aggregation: an accumulator that values are added to, merged and read out. */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  /** Merges two accumulators; needed by merging (session) windows. */
  merge(a: ACC, b: ACC): ACC;
}

/** What every descriptor carries. */
interface DescriptorBase {
  /** Unique within the operator; state is found again by this name after a restore. */
  readonly name: string;
  readonly ttl?: StateTtlConfig;
}

/** Describes a value state. */
export class ValueStateDescriptor<T> implements DescriptorBase {
  readonly kind = 'value';
  constructor(
    readonly name: string,
    readonly options: { readonly defaultValue?: T; readonly ttl?: StateTtlConfig; readonly queryable?: string } = {},
  ) {}
  /** The name the state is read by over the JobManager's REST API (`/jobs/:id/state/<name>/<key>`), if any. */
  get queryable(): string | undefined {
    return this.options.queryable;
  }
  get ttl(): StateTtlConfig | undefined {
    return this.options.ttl;
  }
}

/** Describes a list state. */
export class ListStateDescriptor<T> implements DescriptorBase {
  readonly kind = 'list';
  /** Only for type inference; never set. */
  declare readonly __type?: T;
  constructor(
    readonly name: string,
    readonly options: { readonly ttl?: StateTtlConfig } = {},
  ) {}
  get ttl(): StateTtlConfig | undefined {
    return this.options.ttl;
  }
}

/** Describes a map state. */
export class MapStateDescriptor<K extends MapStateKey, V> implements DescriptorBase {
  readonly kind = 'map';
  /** Only for type inference; never set. */
  declare readonly __type?: [K, V];
  constructor(
    readonly name: string,
    readonly options: { readonly ttl?: StateTtlConfig; readonly queryable?: string } = {},
  ) {}
  /**
   * The name the state is read by over the JobManager's REST API (`/jobs/:id/state/<name>/<key>`),
   * if any: a keyed map state answers the key's whole map, a broadcast state the entry under the key.
   */
  get queryable(): string | undefined {
    return this.options.queryable;
  }
  get ttl(): StateTtlConfig | undefined {
    return this.options.ttl;
  }
}

/** Describes a reducing state. */
export class ReducingStateDescriptor<T> implements DescriptorBase {
  readonly kind = 'reducing';
  constructor(
    readonly name: string,
    readonly reduce: ReduceFunction<T>,
    readonly options: { readonly ttl?: StateTtlConfig } = {},
  ) {}
  get ttl(): StateTtlConfig | undefined {
    return this.options.ttl;
  }
}

/** Describes an aggregating state. */
export class AggregatingStateDescriptor<IN, ACC, OUT> implements DescriptorBase {
  readonly kind = 'aggregating';
  constructor(
    readonly name: string,
    readonly aggregate: AggregateFunction<IN, ACC, OUT>,
    readonly options: { readonly ttl?: StateTtlConfig } = {},
  ) {}
  get ttl(): StateTtlConfig | undefined {
    return this.options.ttl;
  }
}

/** Any state descriptor. */
export type StateDescriptor =
  | ValueStateDescriptor<unknown>
  | ListStateDescriptor<unknown>
  | MapStateDescriptor<MapStateKey, unknown>
  | ReducingStateDescriptor<unknown>
  | AggregatingStateDescriptor<unknown, unknown, unknown>;

/** Returns the handle of a described state, typed by its descriptor. */
export interface KeyedStateStore {
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}
