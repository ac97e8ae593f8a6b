/**
 * The write-back cache in front of the state database, one per keyed backend. It holds decoded JS
 * values, indexed by state id, then namespace, then key id: nested maps, so that a lookup
 * concatenates nothing and hashes only numbers or strings whose hash V8 has already cached (a
 * window's namespace, a string key). Each state remembers the namespace it was used with last,
 * which spares the namespace lookup for runs of records in one window. Eviction is approximately LRU (CLOCK): entries sit in insertion
 * order, a hit only marks its entry, and eviction gives marked entries a second chance.
 *
 * A miss reads the database with `getSync` and caches the result, absent ones too. Writes only
 * change the cached value and mark it dirty. Deleting what the database does not hold (a window's
 * contents created and cleared between flushes) is a no-op: it does not count toward
 * `needsFlush`, and the next flush forgets the entry rather than caching its absence. `flush` writes every dirty entry in one batch and
 * only then, if the cache is over a limit, evicts clean entries down to 90% of its limits (so that
 * a flush makes room for many misses, not one). So a dirty entry is never evicted before it was
 * written, and an entry object stays valid (in the cache) until the next flush.
 *
 * Sizes are the encoded values' bytes: measured when read and when flushed, and guessed for a new
 * value until its first flush (no encoding per write). `maxBytes` therefore bounds the encoded
 * size of cached values; their heap footprint is a few times that, plus ~200 bytes per entry.
 *
 * With `trackChanges` on, flushes also record what they write (each key's last put or delete),
 * which an incremental snapshot takes with `takeChanges`: a delta is written from them, without
 * reading the database.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { StateDb, StateWrite } from './state-db.ts';
import { StateKeyEncoder, type KeyId } from './state-key-layout.ts';
import { decodeStateValue, encodeStateValue, type StoredValue } from './state-value-codec.ts';

/** What the cache needs to know about a state to name, encode and decode its entries. */
export interface CachedState {
  readonly id: number;
  /** Whether entries carry a last-refresh time (the state has a TTL). */
  readonly withTtl: boolean;
  /** Turns a cached value into what is encoded (a map state's Map into pairs, say). */
  toPlain(value: unknown): unknown;
  /** Inverse of `toPlain`, on a decoded value. */
  fromPlain(plain: unknown): unknown;
}

/** Limits of a cache; an entry limit, a byte limit, or both (whichever is reached first). */
export interface WriteBackCacheOptions {
  /** Default 10 000. */
  readonly maxEntries?: number;
  /** Default 64 MiB of encoded values. */
  readonly maxBytes?: number;
  /**
   * Dirty entries that make `needsFlush` true; default half of maxEntries. A high threshold lets
   * repeated updates of a hot key, and entries created and deleted between flushes (window
   * contents, timers), never reach the database.
   */
  readonly dirtyThreshold?: number;
  /** Record what flushes write, for incremental snapshots (see `takeChanges`); default false. */
  readonly trackChanges?: boolean;
}

/** Eviction goes down to this share of the limits (hysteresis: a flush makes room for many misses). */
const EVICT_TO = 0.9;

/** Size guess of a value not yet encoded. */
const ESTIMATED_VALUE_BYTES = 32;

/** One cached (key, namespace, user key) of one state. */
export class CacheEntry {
  /** The decoded value; undefined when absent (a cached miss or a pending delete). */
  value: unknown = undefined;
  /** Last-refresh time for TTL states, else 0. */
  stamp = 0;
  dirty = false;
  /** Dirty, but writing it would do nothing: absent, and absent from the database too. */
  noop = false;
  /** Whether the database holds the entry (after the batches written or in flight). */
  stored = false;
  /** Encoded size in bytes (measured or estimated); 0 when absent. */
  size = 0;
  /** Used since eviction last passed it: it gets a second chance. */
  hot = false;
  /** Still in the cache (false once evicted or dropped). */
  cached = true;

  constructor(
    readonly state: CachedState,
    readonly keyGroup: number,
    readonly key: KeyValue,
    readonly keyId: KeyId,
    readonly namespace: string,
    readonly userKey: number | undefined,
    /** The namespace slot of the index: the namespace, plus the user key when there is one. */
    readonly slot: string,
  ) {}
}

/** Entries of one state: namespace slot → key id → entry, and the slot used last. */
class StateIndex {
  readonly bySlot = new Map<string, Map<KeyId, CacheEntry>>();
  lastSlot: string | undefined = undefined;
  lastByKey: Map<KeyId, CacheEntry> | undefined = undefined;

  /** The key → entry map of a slot, created on first use. */
  byKey(slot: string): Map<KeyId, CacheEntry> {
    if (slot === this.lastSlot) return this.lastByKey!;
    let byKey = this.bySlot.get(slot);
    if (byKey === undefined) {
      byKey = new Map();
      this.bySlot.set(slot, byKey);
    }
    this.lastSlot = slot;
    this.lastByKey = byKey;
    return byKey;
  }

  /** Removes an entry; false if the index holds another entry (or none) under its name. */
  delete(entry: CacheEntry): boolean {
    const byKey = this.bySlot.get(entry.slot);
    if (byKey?.get(entry.keyId) !== entry) return false;
    byKey.delete(entry.keyId);
    if (byKey.size === 0) {
      this.bySlot.delete(entry.slot);
      if (this.lastByKey === byKey) {
        this.lastSlot = undefined;
        this.lastByKey = undefined;
      }
    }
    return true;
  }
}

/** The index slot of a namespace and user key. */
function slotOf(namespace: string, userKey: number | undefined): string {
  return userKey === undefined ? namespace : `${namespace}\u0000${userKey + 0}`;
}

/** See the module comment. */
export class WriteBackCache {
  private readonly index = new Map<number, StateIndex>();
  /** Every cached entry, oldest first: the eviction order. */
  private order: CacheEntry[] = [];
  private count = 0;
  private dirty: CacheEntry[] = [];
  /** Entries of `dirty` that are no-ops (see `CacheEntry.noop`): they do not count toward a flush. */
  private noops = 0;
  /** Entries of `order` no longer cached, dropped there when they outnumber the cached ones. */
  private uncachedInOrder = 0;
  private bytes = 0;
  private stored = 0;
  private readonly encoder = new StateKeyEncoder();
  private readonly decoded: StoredValue = { value: undefined, stamp: 0 };
  /** The last flush started, until it settles (never rejects); flushes run one after another. */
  private running: Promise<void> | undefined;
  /** Entry limit; see `WriteBackCacheOptions`. */
  readonly maxEntries: number;
  /** Byte limit (encoded values); see `WriteBackCacheOptions`. */
  readonly maxBytes: number;
  /** Dirty entries that make `needsFlush` true. */
  readonly dirtyThreshold: number;
  /**
   * Whether flushes record what they write (put or delete) for `takeChanges`. Off by
   * default, so that the hot path costs nothing and the set cannot grow without bound when
   * nobody takes it.
   */
  trackChanges: boolean;
  /** The error of a flush started by `flushBehind` that nobody awaited. */
  private behindFailure: unknown = undefined;
  /** The last write of each key since the last `takeChanges`, by the key's bytes as a latin1 string. */
  private changed = new Map<string, StateWrite>();

  constructor(
    private readonly db: StateDb,
    options: WriteBackCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.dirtyThreshold = options.dirtyThreshold ?? Math.max(1, Math.ceil(this.maxEntries / 2));
    this.trackChanges = options.trackChanges ?? false;
    if (!(this.maxEntries >= 1) || !(this.maxBytes >= 1) || !(this.dirtyThreshold >= 1)) {
      throw new Error('cache limits must be positive');
    }
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** Approximate encoded bytes of the held values. */
  get cachedBytes(): number {
    return this.bytes;
  }

  /**
   * Entries this cache wrote to the database and did not delete since the last `reset`. Exact for
   * what passed through it (blind writes probe the database for existence), but expired TTL
   * entries that are never read again stay counted.
   */
  get storedEntries(): number {
    return this.stored;
  }

  /** Nothing is dirty and no flush is in flight: the database holds every change. */
  get clean(): boolean {
    return this.dirty.length === 0 && this.running === undefined;
  }

  /**
   * The last write (put or delete) of each key that flushes wrote since the last call, while
   * `trackChanges` was on, by the key's bytes as a latin1 string. Resets the set.
   */
  takeChanges(): Map<string, StateWrite> {
    const changes = this.changed;
    this.changed = new Map();
    return changes;
  }

  /** Whether a flush is in flight. */
  get flushing(): boolean {
    return this.running !== undefined;
  }

  /** Resolves once no flush is in flight (at once when idle); a flush started then takes its batch at once. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Whether the owner should await `flush`: many dirty entries, or over a limit. */
  get needsFlush(): boolean {
    return this.dirty.length - this.noops >= this.dirtyThreshold || this.count > this.maxEntries || this.bytes > this.maxBytes;
  }

  /**
   * The entry of a key, reading it from the database on a miss. The entry is valid until the
   * next `flush`; change its value only through `write`.
   */
  lookup(state: CachedState, keyGroup: number, key: KeyValue, keyId: KeyId, namespace: string, userKey: number | undefined): CacheEntry {
    const byKey = this.byKey(state.id, slotOf(namespace, userKey));
    let entry = byKey.get(keyId);
    if (entry !== undefined) {
      entry.hot = true;
      return entry;
    }
    entry = new CacheEntry(state, keyGroup, key, keyId, namespace, userKey, slotOf(namespace, userKey));
    const bytes = this.db.getSync(this.encoder.encode(keyGroup, state.id, key, namespace, userKey));
    if (bytes !== undefined) {
      decodeStateValue(bytes, this.decoded);
      entry.value = state.fromPlain(this.decoded.value);
      entry.stamp = this.decoded.stamp;
      this.decoded.value = undefined;
      entry.stored = true;
      entry.size = bytes.length;
      this.bytes += bytes.length;
    }
    this.insert(byKey, entry);
    return entry;
  }

  /** The key → entry map of a state and namespace slot, created on first use. */
  private byKey(stateId: number, slot: string): Map<KeyId, CacheEntry> {
    let state = this.index.get(stateId);
    if (state === undefined) {
      state = new StateIndex();
      this.index.set(stateId, state);
    }
    return state.byKey(slot);
  }

  private insert(byKey: Map<KeyId, CacheEntry>, entry: CacheEntry): void {
    byKey.set(entry.keyId, entry);
    this.order.push(entry);
    this.count++;
  }

  /** Takes an entry out of the index (not out of `order`; callers rebuild that). */
  private unindex(entry: CacheEntry): void {
    if (this.index.get(entry.state.id)?.delete(entry) !== true) return;
    entry.cached = false;
    this.count--;
  }

  /**
   * Replaces a key's value without reading it (`undefined` deletes). On a miss the database is
   * probed for existence only (for the stored-entries count and to skip deleting what is absent),
   * unless the caller knows it: `known` true means stored, false means absent.
   */
  writeBlind(
    state: CachedState,
    keyGroup: number,
    key: KeyValue,
    keyId: KeyId,
    namespace: string,
    userKey: number | undefined,
    value: unknown,
    stamp: number,
    known?: boolean,
  ): void {
    const slot = slotOf(namespace, userKey);
    const byKey = this.byKey(state.id, slot);
    let entry = byKey.get(keyId);
    if (entry !== undefined) {
      entry.hot = true;
    } else {
      entry = new CacheEntry(state, keyGroup, key, keyId, namespace, userKey, slot);
      if (known !== undefined) {
        entry.stored = known;
      } else {
        const bytes = this.db.getSync(this.encoder.encode(keyGroup, state.id, key, namespace, userKey));
        if (bytes !== undefined) {
          entry.stored = true;
          entry.size = bytes.length;
          this.bytes += bytes.length;
        }
      }
      this.insert(byKey, entry);
    }
    this.write(entry, value, stamp);
  }

  /** Sets an entry's value (`undefined` deletes) and last-refresh time, and marks it dirty. */
  write(entry: CacheEntry, value: unknown, stamp: number): void {
    entry.value = value;
    entry.stamp = stamp;
    let noop = false;
    if (value === undefined) {
      this.bytes -= entry.size;
      entry.size = 0;
      noop = !entry.stored;
    } else if (entry.size === 0) {
      entry.size = ESTIMATED_VALUE_BYTES;
      this.bytes += ESTIMATED_VALUE_BYTES;
    }
    if (entry.dirty) {
      if (noop !== entry.noop) {
        entry.noop = noop;
        this.noops += noop ? 1 : -1;
      }
    } else if (!noop) {
      entry.dirty = true;
      this.dirty.push(entry);
    }
  }

  /** Marks an entry dirty after its value object was changed in place (a list appended to, say). */
  touch(entry: CacheEntry, stamp: number): void {
    this.write(entry, entry.value, stamp);
  }

  /**
   * Writes every dirty entry in one batch, then evicts clean entries down to the limits. Calls
   * run one after another; entries written while a batch is in flight go with the next one.
   */
  flush(): Promise<void> {
    const previous = this.running;
    // Starts at once when idle, so that the batch holds exactly what was dirty at the call.
    const run = previous === undefined ? this.flushOnce() : previous.then(() => this.flushOnce());
    const settled: Promise<void> = run.then(
      (): void => this.settle(settled),
      (): void => this.settle(settled),
    );
    this.running = settled;
    return run;
  }

  /**
   * Starts a flush and returns undefined, so that the owner goes on while the batch is written;
   * when an earlier flush is still running it returns the new one's promise instead, to await:
   * at most one batch is written behind the owner. A flush nobody awaited that failed is thrown
   * by the next call (its entries are dirty again, for the next flush to retry).
   */
  flushBehind(): Promise<void> | undefined {
    const failure = this.behindFailure;
    if (failure !== undefined) {
      this.behindFailure = undefined;
      throw failure;
    }
    if (this.running !== undefined) return this.flush();
    this.flush().catch((error: unknown) => {
      this.behindFailure = error;
    });
    return undefined;
  }

  private settle(flush: Promise<void>): void {
    if (this.running === flush) this.running = undefined;
  }

  private async flushOnce(): Promise<void> {
    const batch = this.dirty;
    this.dirty = [];
    this.noops = 0;
    const ops: StateWrite[] = [];
    const wasStored: boolean[] = [];
    let storedDelta = 0;
    for (const entry of batch) {
      entry.dirty = false;
      entry.noop = false;
      wasStored.push(entry.stored);
      if (entry.value === undefined && !entry.stored) {
        // Nothing to write, and nothing worth remembering: the entry of a cleared window, say.
        this.forget(entry);
        continue;
      }
      const key = this.encoder.encodeCopy(entry.keyGroup, entry.state.id, entry.key, entry.namespace, entry.userKey);
      if (entry.value === undefined) {
        ops.push({ type: 'del', key });
        entry.stored = false;
        storedDelta--;
      } else {
        const value = encodeStateValue(entry.state.toPlain(entry.value), entry.state.withTtl, entry.stamp);
        ops.push({ type: 'put', key, value });
        this.bytes += value.length - entry.size;
        entry.size = value.length;
        if (!entry.stored) storedDelta++;
        entry.stored = true;
      }
    }
    this.stored += storedDelta;
    if (this.trackChanges) for (const op of ops) this.changed.set(Buffer.from(op.key.buffer, op.key.byteOffset, op.key.byteLength).toString('latin1'), op);
    try {
      await this.db.write(ops);
    } catch (error) {
      this.stored -= storedDelta;
      batch.forEach((entry, i) => {
        entry.stored = wasStored[i] ?? entry.stored;
        if (entry.cached && !entry.dirty) {
          entry.dirty = true;
          this.dirty.push(entry);
        }
      });
      throw error;
    }
    this.evict();
    if (this.uncachedInOrder > this.count) {
      this.order = this.order.filter((entry) => entry.cached);
      this.uncachedInOrder = 0;
    }
  }

  /** Drops a clean entry from the index; `order` lets go of it later. */
  private forget(entry: CacheEntry): void {
    if (!entry.cached) return;
    this.unindex(entry);
    if (!entry.cached) this.uncachedInOrder++;
  }

  /**
   * Evicts clean entries, least recently used first, once the cache is over a limit: down to
   * `EVICT_TO` of the limits, so that the next misses have room before `needsFlush` again.
   */
  private evict(): void {
    if (this.count <= this.maxEntries && this.bytes <= this.maxBytes) return;
    const entriesTarget = Math.floor(this.maxEntries * EVICT_TO);
    const bytesTarget = Math.floor(this.maxBytes * EVICT_TO);
    const order = this.order;
    const kept: CacheEntry[] = [];
    const spared: CacheEntry[] = [];
    let i = 0;
    for (; i < order.length; i++) {
      if (this.count <= entriesTarget && this.bytes <= bytesTarget) break;
      const entry = order[i]!;
      if (!entry.cached) continue;
      if (entry.dirty) kept.push(entry);
      else if (entry.hot) {
        entry.hot = false;
        spared.push(entry);
      } else {
        this.unindex(entry);
        this.bytes -= entry.size;
      }
    }
    const rest = order.slice(i).filter((e) => e.cached);
    // Spared entries go to the back, as if just inserted; a second pass evicts them if still needed.
    this.order = [...kept, ...rest, ...spared];
    this.uncachedInOrder = 0;
    if (this.count > entriesTarget || this.bytes > bytesTarget) {
      const second: CacheEntry[] = [];
      for (const entry of this.order) {
        if (entry.cached && !entry.dirty && (this.count > entriesTarget || this.bytes > bytesTarget)) {
          this.unindex(entry);
          this.bytes -= entry.size;
        } else if (entry.cached) second.push(entry);
      }
      this.order = second;
    }
  }

  /**
   * Drops the cached entries of some states, dirty or not, without writing them, after
   * `deletedFromDb` of their entries were deleted from the database.
   */
  drop(stateIds: ReadonlySet<number>, deletedFromDb: number): void {
    for (const entry of this.order) {
      if (!entry.cached || !stateIds.has(entry.state.id)) continue;
      this.unindex(entry);
      this.bytes -= entry.size;
      entry.dirty = false;
      entry.noop = false;
    }
    for (const id of stateIds) this.index.delete(id);
    this.order = this.order.filter((entry) => entry.cached);
    this.uncachedInOrder = 0;
    this.stored = Math.max(0, this.stored - deletedFromDb);
    this.dirty = this.dirty.filter((entry) => entry.dirty);
    this.noops = this.dirty.filter((entry) => entry.noop).length;
  }

  /**
   * Drops every entry and sets the stored-entries count (after the database was cleared or
   * restored); the changed-key set is cleared too.
   */
  reset(storedEntries = 0): void {
    for (const entry of this.dirty) {
      entry.dirty = false;
      entry.noop = false;
    }
    for (const entry of this.order) entry.cached = false;
    this.index.clear();
    this.order = [];
    this.uncachedInOrder = 0;
    this.count = 0;
    this.dirty = [];
    this.noops = 0;
    this.bytes = 0;
    this.stored = storedEntries;
    this.changed = new Map();
  }
}
