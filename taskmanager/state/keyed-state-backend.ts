/**
 * The contract between keyed operators and the state backend. An operator subtask owns one
 * backend: it sets the current key before each record or timer, and every state handle then
 * reads and writes that key's entry, in the namespace the handle was last given. Reads are
 * synchronous (a write-back cache in front of LevelDB); writes reach the database in batches
 * that the task starts between record batches.
 */
import type { AggregatingState, AggregatingStateDescriptor, KeyedStateStore, ListState, ListStateDescriptor, MapState, MapStateDescriptor, MapStateKey, ReducingState, ReducingStateDescriptor, ValueState, ValueStateDescriptor } from '../../client/runtime.ts';
import type { KeyedStateHandle } from '../../common/checkpoint/checkpoint-types.ts';
import type { KeyGroupRange, KeyValue } from '../../common/key-groups.ts';

/** The namespace of plain keyed state; windows use their own namespaces. */
export const VOID_NAMESPACE = '';

/** A state handle whose namespace the operator can switch. */
export interface InternalKvState {
  /** Later reads and writes of this handle go to `namespace` (of the current key). */
  setCurrentNamespace(namespace: string): void;
}

/** A state whose values under several namespaces can be folded into one (session windows). */
export interface InternalMergingState extends InternalKvState {
  /** Folds the values under `sources` into `target`, for the current key, and clears the sources. */
  mergeNamespaces(target: string, sources: readonly string[]): void;
}

/** Internal handles: the user-facing interface plus namespace control. */
export interface InternalValueState<T> extends ValueState<T>, InternalKvState {}
/** See InternalValueState. */
export interface InternalListState<T> extends ListState<T>, InternalMergingState {}
/** See InternalValueState. */
export interface InternalMapState<K extends MapStateKey, V> extends MapState<K, V>, InternalKvState {}
/** See InternalValueState. */
export interface InternalReducingState<T> extends ReducingState<T>, InternalMergingState {}
/** See InternalValueState. */
export interface InternalAggregatingState<IN, OUT> extends AggregatingState<IN, OUT>, InternalMergingState {
  /** Merges an accumulator (a local window aggregate's partial) into the current key's. */
  mergeAccumulator(accumulator: unknown): void;
}

/** Options of one keyed-state snapshot. */
export interface KeyedSnapshotOptions {
  readonly checkpointId: number;
  /** Absolute storage root the files are written under. */
  readonly root: string;
  /** Sub-directory of the root for the files, e.g. 'shared' (checkpoints) or 'state' (savepoints). */
  readonly dir: string;
  /** Write a full copy even if a delta would do (savepoints, every Nth checkpoint). */
  readonly full: boolean;
  /** A savepoint's snapshot: later deltas never build on its files (they belong to the user). */
  readonly savepoint?: boolean;
}

/** A keyed-state handle to restore from, and the storage root its paths are relative to. */
export interface KeyedStateSource {
  readonly root: string;
  readonly handle: KeyedStateHandle;
}

/** Size figures of one backend, for the state size gauges. */
export interface StateSizeStats {
  /** Entries held in the cache. */
  readonly cachedEntries: number;
  /** Approximate bytes of the cached entries' encoded values. */
  readonly cachedBytes: number;
  /** Entries written to the database and not deleted, as counted by this backend. */
  readonly storedEntries: number;
}

/** The keyed state of one operator subtask. */
export interface KeyedStateBackend extends KeyedStateStore {
  /** Opens the backend; an operator's previous entries in its key-group range are dropped. */
  open(): Promise<void>;
  /** Sets the key that state handles and timers act on; computes its key group. */
  setCurrentKey(key: KeyValue): void;
  /** The current key; undefined before the first `setCurrentKey`. */
  readonly currentKey: KeyValue | undefined;
  /** The current key's key group. */
  readonly currentKeyGroup: number;
  /** The key groups this backend owns. */
  readonly keyGroupRange: KeyGroupRange;

  /** Internal handle of a value state. Same descriptor name, same state. */
  getInternalValueState<T>(descriptor: ValueStateDescriptor<T>): InternalValueState<T>;
  getInternalListState<T>(descriptor: ListStateDescriptor<T>): InternalListState<T>;
  getInternalMapState<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): InternalMapState<K, V>;
  getInternalReducingState<T>(descriptor: ReducingStateDescriptor<T>): InternalReducingState<T>;
  getInternalAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): InternalAggregatingState<IN, OUT>;

  /** Whether enough is dirty (or the cache is over its limit) that the task should await `flush`. */
  readonly needsFlush: boolean;
  /** Writes every dirty entry in one batch, then evicts clean entries down to the cache limit. */
  flush(): Promise<void>;
  /**
   * Starts a flush without waiting for it; returns a promise to await only when an earlier one is
   * still being written (so at most one batch is behind). See `WriteBackCache.flushBehind`.
   */
  flushBehind(): Promise<void> | undefined;
  /** Size figures for the gauges. */
  stats(): StateSizeStats;
  /**
   * Snapshots the keyed state. The returned promise is the synchronous phase (flush, then a
   * LevelDB snapshot): await it before processing more records. The function it yields uploads
   * (writes the file) from the snapshot while processing goes on; call it exactly once.
   */
  snapshot(options: KeyedSnapshotOptions): Promise<() => Promise<KeyedStateHandle>>;
  /**
   * Writes the state of `sources` in this backend's key-group range into the database. Call it
   * right after `open()`, then the timer service's `restore()`.
   */
  restore(sources: readonly KeyedStateSource[]): Promise<void>;
  /** A checkpoint was aborted: later snapshots must not build deltas on files it wrote. */
  notifyCheckpointAborted(checkpointId: number): void;
  /** Flushes and releases the cache; the database stays open for other backends. */
  close(): Promise<void>;
}

/** A timer of one key and namespace. */
export interface InternalTimer {
  readonly timestamp: number;
  readonly key: KeyValue;
  readonly namespace: string;
}

/** Receives fired timers; the backend's current key is the timer's key during the call. */
export type TimerCallback = (timer: InternalTimer) => void;

/**
 * Event-time and processing-time timers of one operator subtask, per key and namespace. A timer
 * is unique per (key, namespace, timestamp): registering it twice fires it once. Timers live in
 * state (they are written through the backend) and fire in timestamp order.
 */
export interface InternalTimerService {
  /** Drops the operator's old timers: a fresh start. Called after the backend opened. */
  open(): Promise<void>;
  /**
   * Reloads the timers from the state the backend restored, instead of `open`: the sequence is
   * `backend.open()`, `backend.restore(sources)`, `timers.restore()`.
   */
  restore(): Promise<void>;
  /** The last watermark passed to `advanceWatermark`; -Infinity at first. */
  readonly currentWatermark: number;
  /** Registers an event-time timer for the backend's current key. */
  registerEventTimeTimer(namespace: string, time: number): void;
  deleteEventTimeTimer(namespace: string, time: number): void;
  /** Registers a processing-time timer for the backend's current key. */
  registerProcessingTimeTimer(namespace: string, time: number): void;
  deleteProcessingTimeTimer(namespace: string, time: number): void;
  /**
   * Fires, in timestamp order, every event-time timer at or before `watermark`, including timers
   * that callbacks register at or before it, and sets the current key before each callback.
   */
  advanceWatermark(watermark: number, onTimer: TimerCallback): void;
  /** The earliest pending processing-time timer, if any; the task schedules a wake-up for it. */
  nextProcessingTime(): number | undefined;
  /** Fires, in timestamp order, every processing-time timer at or before `now`. */
  fireProcessingTimers(now: number, onTimer: TimerCallback): void;
  /** Pending timers, for tests and metrics. */
  readonly size: { readonly eventTime: number; readonly processingTime: number };
}
