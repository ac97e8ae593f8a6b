/**
 * The keyed state backend of one operator subtask: state handles over a write-back cache over the
 * job's shared `StateDb`. Reads are synchronous (`getSync` on a cache miss only); writes reach the
 * database in batches the task starts between record batches (`flushBehind`, `flush`).
 *
 * Snapshots write keyed-state files (taskmanager/checkpoint/): a full copy of the operator's
 * states in the key-group range, or, once the backend has uploaded a snapshot since open/restore,
 * a delta holding the last write of each key changed since then. The cache records those writes
 * from `open` on (so the first full copy is written from them too), or, after a restore, from the
 * first full copy read from the database.
 */
import type { AggregatingState, AggregatingStateDescriptor, ListState, ListStateDescriptor, MapState, MapStateDescriptor, MapStateKey, ReducingState, ReducingStateDescriptor, StateDescriptor, ValueState, ValueStateDescriptor } from '../../client/runtime.ts';
import type { KeyedStateFile, KeyedStateHandle } from '../../common/checkpoint/checkpoint-types.ts';
import { assignToKeyGroup, type KeyGroupRange, type KeyValue, validateMaxParallelism } from '../../common/key-groups.ts';
import { restoreKeyedState } from './snapshot/keyed-state-restore.ts';
import { writeChangesFile, writeFullFile, type SnapshotSource } from './snapshot/keyed-state-snapshot.ts';
import { SnapshotChain, type SnapshotPlan } from './snapshot/snapshot-chain.ts';
import type { AbstractKvState, StateContext } from './abstract-kv-state.ts';
import { InternalAggregatingStateImpl } from './internal-aggregating-state.ts';
import { InternalListStateImpl } from './internal-list-state.ts';
import { InternalMapStateImpl } from './internal-map-state.ts';
import { InternalReducingStateImpl } from './internal-reducing-state.ts';
import { InternalValueStateImpl } from './internal-value-state.ts';
import type {
  InternalAggregatingState,
  InternalListState,
  InternalMapState,
  InternalReducingState,
  InternalValueState,
  KeyedSnapshotOptions,
  KeyedStateBackend,
  KeyedStateSource,
  StateSizeStats,
} from './keyed-state-backend.ts';
import type { StateDb } from './state-db.ts';
import { StoredNamespaces } from './stored-namespaces.ts';
import { keyId, type KeyId } from './state-key-layout.ts';
import { WriteBackCache, type WriteBackCacheOptions } from './write-back-cache.ts';

/** Options of `LevelDbKeyedStateBackend`. */
export interface LevelDbKeyedStateBackendOptions {
  /** The job's state database on this TaskManager, shared with other backends. */
  readonly db: StateDb;
  readonly operatorId: string;
  readonly maxParallelism: number;
  /** The key groups this subtask owns. */
  readonly keyGroupRange: KeyGroupRange;
  readonly cache?: WriteBackCacheOptions;
  /** Processing-time clock for TTL, in ms; default `Date.now`. */
  readonly clock?: () => number;
}

/** State names starting with this character are reserved for the runtime (timers). */
export const RESERVED_STATE_NAME_PREFIX = '\u0000';

/** See the module comment. */
export class LevelDbKeyedStateBackend implements KeyedStateBackend, StateContext {
  readonly cache: WriteBackCache;
  readonly clock: () => number;
  readonly keyGroupRange: KeyGroupRange;
  /** The job's state database. */
  readonly db: StateDb;
  /** The operator whose state this is. */
  readonly operatorId: string;
  private readonly maxParallelism: number;
  private readonly handles = new Map<string, { readonly kind: StateDescriptor['kind']; readonly handle: AbstractKvState }>();
  private key: KeyValue | undefined;
  private keyGroup = -1;
  private currentId: KeyId = '';
  /** The snapshots since open/restore, which decide between full and delta. */
  private readonly chain = new SnapshotChain();

  constructor(options: LevelDbKeyedStateBackendOptions) {
    validateMaxParallelism(options.maxParallelism);
    const { start, end } = options.keyGroupRange;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end >= options.maxParallelism) {
      throw new Error(`key-group range [${start}, ${end}] is not within [0, ${options.maxParallelism - 1}]`);
    }
    this.db = options.db;
    this.operatorId = options.operatorId;
    this.maxParallelism = options.maxParallelism;
    this.keyGroupRange = { start, end };
    this.cache = new WriteBackCache(options.db, options.cache);
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Drops this operator's entries (all its states, timers included) in the key-group range. The
   * cache records every change from here on, so that even the first snapshot is written from the
   * changes instead of being read from the database.
   */
  async open(): Promise<void> {
    this.resetSnapshots();
    await this.db.deleteStates(this.db.stateIdsOf(this.operatorId), this.keyGroupRange);
    this.cache.reset();
    this.trackFromEmpty();
  }

  /** Starts recording changes from a range that holds nothing. */
  private trackFromEmpty(): void {
    this.cache.startTracking();
    this.chain.reset(true);
  }

  /**
   * Writes the state of `sources` that falls in this backend's key-group range into the
   * database, as this operator's (state ids remapped by name), and empties the cache. Call it
   * right after `open()` (which cleared the range), then `InternalTimerServiceImpl.restore()`
   * to reload the timers. The next snapshot is full.
   */
  async restore(sources: readonly KeyedStateSource[]): Promise<void> {
    this.resetSnapshots();
    this.cache.reset();
    const namespaces = new StoredNamespaces();
    const stored = await restoreKeyedState(this.db, this.operatorId, this.keyGroupRange, sources, namespaces);
    this.cache.reset(stored, namespaces);
  }

  /**
   * Snapshots this operator's keyed state (timers included) in the key-group range. The file is
   * a delta on the previous handle when one exists in the same location and `full` is false, else
   * a full copy. The returned promise is the synchronous phase; the function it yields is the
   * asynchronous phase, to call exactly once, which writes one file under `<root>/<dir>/` and
   * returns the handle.
   *
   * When the cache recorded every change since the base (or since `open`, for a first full copy),
   * the synchronous phase only takes those changes (encoding the entries changed since they were
   * last recorded); it writes nothing to the database, and the file is written from the changes.
   * Otherwise (a full copy after a restore, or asked for on a base) it flushes until the database
   * holds every change and takes a LevelDB snapshot, which the file is read from while the task
   * goes on writing.
   */
  async snapshot(options: KeyedSnapshotOptions): Promise<() => Promise<KeyedStateHandle>> {
    if (!Number.isSafeInteger(options.checkpointId) || options.checkpointId < 0) {
      throw new Error(`checkpoint id must be a non-negative integer; got ${String(options.checkpointId)}`);
    }
    // Without recorded changes (after a restore, or when nobody took them for too long) the chain has nothing to build on.
    if (!this.cache.trackingChanges) this.chain.reset();
    if (this.chain.wouldBeFromChanges(options)) {
      const plan = this.chain.begin(options, this.cache.takeChanges());
      const subject = { operatorId: this.operatorId, keyGroupRange: this.keyGroupRange, states: this.db.statesOf(this.operatorId) };
      return this.uploadOnce(plan, () => writeChangesFile(subject, options, plan.changes, plan.base === undefined ? 'FULL' : 'DELTA'));
    }
    do await this.cache.flush();
    while (!this.cache.clean);
    // Synchronous from here on: nothing can write the cache between the check and the snapshot.
    const plan = this.chain.begin(options, this.cache.takeChanges());
    if (!this.cache.trackingChanges) this.cache.startTracking();
    const snapshot = this.db.snapshot();
    const source: SnapshotSource = {
      db: this.db,
      snapshot,
      operatorId: this.operatorId,
      keyGroupRange: this.keyGroupRange,
      states: this.db.statesOf(this.operatorId),
    };
    return this.uploadOnce(plan, () => writeFullFile(source, options), () => snapshot.close());
  }

  /**
   * The asynchronous phase of a planned snapshot, callable once: writes the file and records the
   * handle (the base's files plus this one), or the failure; then releases what the file was read from.
   */
  private uploadOnce(plan: SnapshotPlan, write: () => Promise<KeyedStateFile>, release?: () => Promise<void>): () => Promise<KeyedStateHandle> {
    let called = false;
    return async () => {
      if (called) throw new Error(`snapshot ${plan.options.checkpointId} of operator ${this.operatorId} was already uploaded`);
      called = true;
      try {
        const file = await write();
        const handle: KeyedStateHandle = { keyGroupRange: { ...this.keyGroupRange }, files: [...(plan.base?.files ?? []), file] };
        this.chain.completed(plan, handle);
        return handle;
      } catch (error) {
        this.chain.failed(plan);
        throw error;
      } finally {
        await release?.();
      }
    };
  }

  /** A checkpoint was aborted: later snapshots must not build deltas on files it wrote. */
  notifyCheckpointAborted(checkpointId: number): void {
    this.chain.aborted(checkpointId);
  }

  /** Makes the next snapshot full and stops tracking changed keys until it begins. */
  private resetSnapshots(): void {
    this.chain.reset();
    this.cache.stopTracking();
  }

  get currentKey(): KeyValue | undefined {
    return this.key;
  }

  get currentKeyGroup(): number {
    return this.keyGroup;
  }

  /** `keyId` of the current key. */
  get currentKeyId(): KeyId {
    return this.currentId;
  }

  /** The current key; throws when none was set. */
  get requiredKey(): KeyValue {
    const key = this.key;
    if (key === undefined) throw new Error(`keyed state of operator ${this.operatorId} was accessed before a key was set`);
    return key;
  }

  setCurrentKey(key: KeyValue): void {
    if (key === this.key && typeof key !== 'object') return;
    const keyGroup = assignToKeyGroup(key, this.maxParallelism);
    const { start, end } = this.keyGroupRange;
    if (keyGroup < start || keyGroup > end) {
      throw new Error(
        `key ${JSON.stringify(key)} belongs to key group ${keyGroup}, outside the key groups [${start}, ${end}] ` +
          `of this subtask of operator ${this.operatorId}; the stream was not partitioned by this key`,
      );
    }
    this.setCurrentKeyUnchecked(key, keyGroup, keyId(key));
  }

  /** Sets a key whose key group and cache string are known to be right (a timer's). */
  setCurrentKeyUnchecked(key: KeyValue, keyGroup: number, keyId: KeyId): void {
    this.key = key;
    this.keyGroup = keyGroup;
    this.currentId = keyId;
  }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.getInternalValueState(descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.getInternalListState(descriptor);
  }

  getMapState<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> {
    return this.getInternalMapState(descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.getInternalReducingState(descriptor);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.getInternalAggregatingState(descriptor);
  }

  getInternalValueState<T>(descriptor: ValueStateDescriptor<T>): InternalValueState<T> {
    return this.handle(descriptor, (id) => new InternalValueStateImpl(this, id, descriptor));
  }

  getInternalListState<T>(descriptor: ListStateDescriptor<T>): InternalListState<T> {
    return this.handle(descriptor, (id) => new InternalListStateImpl(this, id, descriptor));
  }

  getInternalMapState<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): InternalMapState<K, V> {
    return this.handle(descriptor, (id) => new InternalMapStateImpl(this, id, descriptor));
  }

  getInternalReducingState<T>(descriptor: ReducingStateDescriptor<T>): InternalReducingState<T> {
    return this.handle(descriptor, (id) => new InternalReducingStateImpl(this, id, descriptor));
  }

  getInternalAggregatingState<IN, ACC, OUT>(
    descriptor: AggregatingStateDescriptor<IN, ACC, OUT>,
  ): InternalAggregatingState<IN, OUT> {
    return this.handle(descriptor, (id) => new InternalAggregatingStateImpl(this, id, descriptor));
  }

  /** The handle of a descriptor's name, created on first use; the same name must keep its kind. */
  private handle<H extends AbstractKvState>(
    descriptor: { readonly name: string; readonly kind: StateDescriptor['kind'] },
    create: (id: number) => H,
  ): H {
    const { name, kind } = descriptor;
    const existing = this.handles.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) {
        throw new Error(`state ${JSON.stringify(name)} of operator ${this.operatorId} is ${existing.kind} state, not ${kind} state`);
      }
      return existing.handle as H;
    }
    if (name.startsWith(RESERVED_STATE_NAME_PREFIX)) {
      throw new Error(`state name ${JSON.stringify(name)} is reserved: names starting with U+0000 belong to the runtime`);
    }
    const handle = create(this.db.stateId(this.operatorId, name));
    this.handles.set(name, { kind, handle });
    return handle;
  }

  /**
   * Deletes some of this operator's states in its key-group range, in the database and the cache
   * (dirty entries included, unwritten). For the timer service's `open`.
   */
  async clearStates(stateIds: readonly number[]): Promise<void> {
    // Right after `open` (the timer service's open) the range is still empty and nothing was recorded.
    const empty = this.chain.untouchedEmpty && !this.cache.hasChanges && this.cache.storedEntries === 0;
    this.resetSnapshots();
    const deleted = await this.db.deleteStates(stateIds, this.keyGroupRange);
    this.cache.drop(new Set(stateIds), deleted);
    if (empty && this.cache.size === 0) this.trackFromEmpty();
  }

  get needsFlush(): boolean {
    return this.cache.needsFlush;
  }

  flush(): Promise<void> {
    return this.cache.flush();
  }

  flushBehind(): Promise<void> | undefined {
    return this.cache.flushBehind();
  }

  stats(): StateSizeStats {
    return { cachedEntries: this.cache.size, cachedBytes: this.cache.cachedBytes, storedEntries: this.cache.storedEntries };
  }

  /** Flushes and empties the cache. Handles stay usable; they would read from the database again. */
  async close(): Promise<void> {
    await this.cache.flush();
    this.cache.empty();
  }
}
