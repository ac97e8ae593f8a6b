/**
 * The keyed state backend of one operator subtask: state handles over a write-back cache over the
 * job's shared `StateDb`. Reads are synchronous (`getSync` on a cache miss only); writes reach the
 * database when the task awaits `flush()`.
 */
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  MapStateKey,
  ReducingState,
  ReducingStateDescriptor,
  StateDescriptor,
  ValueState,
  ValueStateDescriptor,
} from '../../client/api/state.ts';
import { assignToKeyGroup, type KeyValue, validateMaxParallelism } from '../../common/key-groups.ts';
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
  KeyedStateBackend,
  KeyGroupRange,
  StateSizeStats,
} from './keyed-state-backend.ts';
import type { StateDb } from './state-db.ts';
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

  /** Drops this operator's entries (all its states, timers included) in the key-group range. */
  async open(): Promise<void> {
    await this.db.deleteStates(this.db.stateIdsOf(this.operatorId), this.keyGroupRange);
    this.cache.reset();
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
    const deleted = await this.db.deleteStates(stateIds, this.keyGroupRange);
    this.cache.drop(new Set(stateIds), deleted);
  }

  get needsFlush(): boolean {
    return this.cache.needsFlush;
  }

  flush(): Promise<void> {
    return this.cache.flush();
  }

  stats(): StateSizeStats {
    return { cachedEntries: this.cache.size, cachedBytes: this.cache.cachedBytes, storedEntries: this.cache.storedEntries };
  }

  /** Flushes and empties the cache. Handles stay usable; they would read from the database again. */
  async close(): Promise<void> {
    await this.cache.flush();
    this.cache.reset();
  }
}
