/**
 * The write-back cache in front of the state database, one per keyed backend. It holds decoded JS
 * values, indexed by state id, then namespace, then key id: nested maps, so that a lookup
 * concatenates nothing and hashes only numbers or strings whose hash V8 has already cached (a
 * window's namespace, a string key). Each state remembers the namespace it was used with last,
 * which spares the namespace lookup for runs of records in one window. Eviction is approximately
 * LRU (CLOCK): entries sit in insertion order, a hit only marks its entry, and eviction gives
 * marked entries a second chance.
 *
 * A miss reads the database with `getSync` and caches the result, absent ones too. Writes only
 * change the cached value and mark it dirty. Deleting what the database does not hold (a window's
 * contents created and cleared between flushes) is a no-op: it does not count toward
 * `needsFlush`, and such entries are forgotten rather than written (by `flushBehind` before it
 * decides to flush, by the next flush, or when a snapshot recorded the delete); a delete the
 * database held is forgotten once written. `flush` writes every dirty entry in one batch and only
 * then, if the cache is over a limit, evicts clean entries down to 90% of its limits (so that a
 * flush makes room for many misses, not one). So a dirty entry is never evicted before it was
 * written, and an entry object stays valid (in the cache) until the next flush.
 *
 * Sizes are the encoded values' bytes: measured when read and when flushed, and guessed for a new
 * value until its first flush (no encoding per write). `maxBytes` therefore bounds the encoded
 * size of cached values; their heap footprint is a few times that, plus ~200 bytes per entry.
 *
 * Once `startTracking` was called (when the state is empty, or at a full snapshot read from the
 * database), the cache also records, for the next snapshot, each entry changed since the last
 * `takeChanges`: its encoded key and value, or a delete when the snapshots hold the key. The
 * synchronous phase of a snapshot records the entries still unrecorded and takes the set, with
 * no write to the database: the entries stay dirty for a later flush. Flushes record what they
 * write as well, so that an entry is evicted only once the database and the snapshots (with the
 * recorded changes) agree on it, and the unrecorded entries stay within the cache's limits
 * between checkpoints. Recording stops when nobody takes the changes (`maxChangeBytes`).
 */
import type { KeyValue } from '../../common/key-groups.ts';
import { StateChangeSet } from './snapshot/state-change-set.ts';
import type { StateDb, StateWrite } from './state-db.ts';
import { StateKeyEncoder, type KeyId } from './state-key-layout.ts';
import { StoredNamespaces } from './stored-namespaces.ts';
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
   * Dirty entries that make `needsFlush` true; default maxEntries, so that entries are written
   * only when the cache must make room (checkpoints take recorded changes, not the database). A
   * high threshold lets repeated updates of a hot key, and entries created and deleted between
   * flushes (window contents, timers), never reach the database; a lower one writes live state
   * earlier, so that a full cache finds clean entries to evict.
   */
  readonly dirtyThreshold?: number;
  /**
   * Recorded changes (encoded bytes) beyond which the cache stops recording when no snapshot
   * takes them (a job without checkpoints, say); the next snapshot is then a full copy read from
   * the database. Default 128 MiB.
   */
  readonly maxChangeBytes?: number;
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
  /** Changed since it was last recorded for a snapshot, while changes are tracked. */
  unrecorded = false;
  /** Whether the snapshots, with the changes recorded since, hold the entry (a delete must be recorded). */
  snapshotted = false;
  /** The change set (by epoch) the entry was last recorded in, to spot a key recorded twice. */
  recordedIn = -1;
  /** The change set (by epoch) current when the entry was created. */
  bornIn = 0;

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
  /** Slots that an entry recorded in change set `leftEpoch` left: an entry created there since may record its key again. */
  private readonly leftSlots = new Set<string>();
  private leftEpoch = -1;

  /** Notes that an entry recorded in change set `epoch` left the index. */
  recordedLeft(slot: string, epoch: number): void {
    if (this.leftEpoch !== epoch) {
      this.leftSlots.clear();
      this.leftEpoch = epoch;
    }
    this.leftSlots.add(slot);
  }

  /** Whether an entry recorded in change set `epoch` left `slot`. */
  recordedLeftFrom(slot: string, epoch: number): boolean {
    return this.leftEpoch === epoch && this.leftSlots.has(slot);
  }

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
  /** Entries of `dirty` not dirty any more (see `forgetDeleted`), dropped there when they outnumber the others. */
  private stale = 0;
  /** Entries of `order` no longer cached, dropped there when they outnumber the cached ones. */
  private uncachedInOrder = 0;
  private bytes = 0;
  private stored = 0;
  /**
   * What the database holds, by state and namespace: a miss elsewhere needs no read. Unknown
   * (every miss reads) until `reset` says what the database holds.
   */
  private namespaces: StoredNamespaces | undefined;
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
  /** The error of a flush started by `flushBehind` that nobody awaited. */
  private behindFailure: unknown = undefined;
  /** Whether changes are recorded for snapshots (see the module comment). */
  private tracking = false;
  /** Entries changed since they were last recorded (some may have been recorded by a flush since). */
  private unrecorded: CacheEntry[] = [];
  /** What was recorded since the last `takeChanges`. */
  private changes = new StateChangeSet();
  /** Numbers the change sets, for `CacheEntry.recordedIn`. */
  private epoch = 0;
  /** See `WriteBackCacheOptions.maxChangeBytes`. */
  readonly maxChangeBytes: number;

  constructor(
    private readonly db: StateDb,
    options: WriteBackCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.dirtyThreshold = options.dirtyThreshold ?? this.maxEntries;
    this.maxChangeBytes = options.maxChangeBytes ?? 128 * 1024 * 1024;
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
    return this.dirty.length === this.stale && this.running === undefined;
  }

  /** Whether changes are recorded for snapshots. */
  get trackingChanges(): boolean {
    return this.tracking;
  }

  /**
   * Starts recording changes, from a state the snapshots hold exactly: call it when the cache is
   * `clean`, right when a full snapshot of the database is taken.
   */
  startTracking(): void {
    if (!this.clean) throw new Error('changes can be tracked only from a clean cache');
    for (const entry of this.order) if (entry.cached) entry.snapshotted = entry.stored;
    this.tracking = true;
  }

  /** Stops recording changes and forgets those recorded (open, restore, clear). */
  stopTracking(): void {
    this.tracking = false;
    for (const entry of this.unrecorded) entry.unrecorded = false;
    this.unrecorded = [];
    this.nextSet();
  }

  /** Whether changes were recorded, or are waiting to be, since tracking started or the last `takeChanges`. */
  get hasChanges(): boolean {
    return this.unrecorded.length > 0 || this.changes.size > 0;
  }

  /** Starts a new change set. */
  private nextSet(): StateChangeSet {
    const changes = this.changes;
    // Sized like the last set, so that a steady workload does not grow each one from scratch.
    this.changes = new StateChangeSet(changes.byteLength);
    this.epoch++;
    return changes;
  }

  /** Stops tracking once the recorded changes outgrow `maxChangeBytes` (nobody takes them). */
  private limitChanges(): void {
    if (this.tracking && this.changes.byteLength > this.maxChangeBytes) this.stopTracking();
  }

  /**
   * Records every entry changed since it was last recorded and returns what was recorded since
   * the last call (empty when changes are not tracked). Synchronous: the snapshot it belongs to
   * sees exactly the writes made before the call.
   */
  takeChanges(): StateChangeSet {
    for (const entry of this.unrecorded) this.record(entry);
    for (const entry of this.unrecorded) {
      if (entry.value === undefined && !entry.stored && (!entry.dirty || entry.noop)) this.forgetDeleted(entry);
    }
    this.unrecorded = [];
    if (this.stale > this.dirty.length - this.stale) {
      this.dirty = this.dirty.filter((entry) => entry.dirty);
      this.stale = 0;
    }
    this.compactOrder();
    return this.nextSet();
  }

  /**
   * Forgets a deleted entry that neither the database nor the snapshots hold (the entry of a
   * cleared window, say), so that it does not wait for a flush. A no-op entry of `dirty` stays
   * there, stale, and the flush skips it.
   */
  private forgetDeleted(entry: CacheEntry): void {
    if (entry.dirty) {
      entry.dirty = false;
      entry.noop = false;
      this.noops--;
      this.stale++;
    }
    this.forget(entry);
  }

  /**
   * Records an entry's value (or delete) in the change set if it changed since it was last
   * recorded. `key` and `value` are the entry's encodings when the caller has them (a flush).
   */
  private record(entry: CacheEntry, key?: Uint8Array, value?: Uint8Array): void {
    if (!entry.unrecorded) return;
    entry.unrecorded = false;
    if (entry.value !== undefined) {
      value ??= this.encodeValue(entry);
      entry.snapshotted = true;
    } else if (entry.snapshotted) {
      entry.snapshotted = false;
    } else {
      return;
    }
    const repeat =
      entry.recordedIn === this.epoch ||
      (entry.bornIn === this.epoch && this.index.get(entry.state.id)?.recordedLeftFrom(entry.slot, this.epoch) === true);
    this.changes.add(key ?? this.encoder.prepare(entry.keyGroup, entry.state.id, entry.key, entry.namespace, entry.userKey), value, repeat);
    entry.recordedIn = this.epoch;
  }

  /** Encodes the entry's (present) value, measuring its size. */
  private encodeValue(entry: CacheEntry): Uint8Array {
    const bytes = encodeStateValue(entry.state.toPlain(entry.value), entry.state.withTtl, entry.stamp);
    this.bytes += bytes.length - entry.size;
    entry.size = bytes.length;
    return bytes;
  }

  /** Whether the owner should await `flush`: many dirty entries, or over a limit. */
  get needsFlush(): boolean {
    return this.dirty.length - this.noops - this.stale >= this.dirtyThreshold || this.count > this.maxEntries || this.bytes > this.maxBytes;
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
    const bytes = this.mayHold(state.id, namespace) ? this.db.getSync(this.encoder.encode(keyGroup, state.id, key, namespace, userKey)) : undefined;
    if (bytes !== undefined) {
      decodeStateValue(bytes, this.decoded);
      entry.value = state.fromPlain(this.decoded.value);
      entry.stamp = this.decoded.stamp;
      this.decoded.value = undefined;
      entry.stored = true;
      entry.snapshotted = true;
      entry.size = bytes.length;
      this.bytes += bytes.length;
    }
    this.insert(byKey, entry);
    return entry;
  }

  /** Whether the database may hold entries of a state in a namespace. */
  private mayHold(stateId: number, namespace: string): boolean {
    return this.namespaces?.mayHold(stateId, namespace) ?? true;
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
    entry.bornIn = this.epoch;
    byKey.set(entry.keyId, entry);
    this.order.push(entry);
    this.count++;
  }

  /** Takes an entry out of the index (not out of `order`; callers rebuild that). */
  private unindex(entry: CacheEntry): void {
    const state = this.index.get(entry.state.id);
    if (state?.delete(entry) !== true) return;
    entry.cached = false;
    this.count--;
    // A new entry for the key would not know it was recorded already.
    if (entry.recordedIn === this.epoch) state.recordedLeft(entry.slot, this.epoch);
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
      } else if (this.mayHold(state.id, namespace)) {
        const bytes = this.db.getSync(this.encoder.encode(keyGroup, state.id, key, namespace, userKey));
        if (bytes !== undefined) {
          entry.stored = true;
          entry.size = bytes.length;
          this.bytes += bytes.length;
        }
      }
      // Uncached, the database and the snapshots agree on the entry.
      entry.snapshotted = entry.stored;
      this.insert(byKey, entry);
    }
    this.write(entry, value, stamp);
  }

  /** Sets an entry's value (`undefined` deletes) and last-refresh time, and marks it dirty. */
  write(entry: CacheEntry, value: unknown, stamp: number): void {
    entry.value = value;
    entry.stamp = stamp;
    if (this.tracking && !entry.unrecorded && (value !== undefined || entry.snapshotted)) {
      entry.unrecorded = true;
      this.unrecorded.push(entry);
    }
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
    return this.startFlush(false);
  }

  /** Runs a flush after the one in flight, if any: of every dirty entry, or only of those `roomBatch` picks. */
  private startFlush(forRoom: boolean): Promise<void> {
    const previous = this.running;
    // Starts at once when idle, so that the batch holds exactly what was dirty at the call.
    const run = previous === undefined ? this.flushOnce(forRoom) : previous.then(() => this.flushOnce(forRoom));
    const settled: Promise<void> = run.then(
      (): void => this.settle(settled),
      (): void => this.settle(settled),
    );
    this.running = settled;
    return run;
  }

  /**
   * What the owner calls when `needsFlush`: first forgets the deletes there is nothing to write
   * for (often all that made the cache full: the entries of cleared windows), then, if still
   * needed, starts a flush and returns undefined, so that the owner goes on while the batch is
   * written; when an earlier flush is still running it returns the new one's promise instead, to
   * await: at most one batch is written behind the owner. A flush nobody awaited that failed is
   * thrown by the next call (its entries are dirty again, for the next flush to retry).
   *
   * Below the dirty threshold, the cache is only over a limit: the flush then writes just the
   * dirty entries eviction needs (see `roomBatch`), not every live one. Written entries cost
   * their deletes later (a window's, when it fires), so a working set a little larger than the
   * cache costs database writes in proportion to the excess, not to the whole set.
   */
  flushBehind(): Promise<void> | undefined {
    const failure = this.behindFailure;
    if (failure !== undefined) {
      this.behindFailure = undefined;
      throw failure;
    }
    this.sweep();
    if (!this.needsFlush) return undefined;
    const forRoom = this.dirty.length - this.noops - this.stale < this.dirtyThreshold;
    if (this.running !== undefined) return this.startFlush(forRoom);
    this.startFlush(forRoom).catch((error: unknown) => {
      this.behindFailure = error;
    });
    return undefined;
  }

  private settle(flush: Promise<void>): void {
    if (this.running === flush) this.running = undefined;
  }

  /**
   * The dirty entries to write so that eviction can bring the cache down to `EVICT_TO` of its
   * limits, oldest first, like eviction: with the clean entries met on the way, they make up the
   * excess. Deletes that write nothing are left to `sweep`.
   */
  private roomBatch(): CacheEntry[] {
    const entriesOver = this.count - Math.floor(this.maxEntries * EVICT_TO);
    const bytesOver = this.bytes - Math.floor(this.maxBytes * EVICT_TO);
    const batch: CacheEntry[] = [];
    let entries = 0;
    let bytes = 0;
    for (const entry of this.order) {
      if (entries >= entriesOver && bytes >= bytesOver) break;
      if (!entry.cached || (entry.dirty && entry.noop) || (!entry.dirty && entry.unrecorded)) continue;
      if (entry.dirty) batch.push(entry);
      entries++;
      bytes += entry.size;
    }
    return batch;
  }

  private async flushOnce(forRoom: boolean): Promise<void> {
    let batch: CacheEntry[];
    if (forRoom) {
      batch = this.roomBatch();
    } else {
      batch = this.dirty;
      this.dirty = [];
      this.noops = 0;
      this.stale = 0;
    }
    const ops: StateWrite[] = [];
    const wasStored: boolean[] = [];
    let storedDelta = 0;
    for (const entry of batch) {
      wasStored.push(entry.stored);
      // Not dirty any more: forgotten since it was queued (see `forgetDeleted`).
      if (!entry.dirty) continue;
      entry.dirty = false;
      entry.noop = false;
      if (entry.value === undefined && !entry.stored) continue;
      const key = this.encoder.encodeCopy(entry.keyGroup, entry.state.id, entry.key, entry.namespace, entry.userKey);
      if (entry.value === undefined) {
        ops.push({ type: 'del', key });
        entry.stored = false;
        storedDelta--;
        this.namespaces?.removed(entry.state.id, entry.namespace);
        if (this.tracking) this.record(entry, key);
      } else {
        const value = this.encodeValue(entry);
        ops.push({ type: 'put', key, value });
        if (!entry.stored) {
          storedDelta++;
          this.namespaces?.added(entry.state.id, entry.namespace);
        }
        entry.stored = true;
        if (this.tracking) this.record(entry, key, value);
      }
    }
    this.stored += storedDelta;
    if (forRoom) {
      // The written entries leave `dirty`; the others stay for a later flush or snapshot.
      this.dirty = this.dirty.filter((entry) => entry.dirty);
      this.noops = this.dirty.reduce((n, entry) => (entry.noop ? n + 1 : n), 0);
      this.stale = 0;
      if (this.tracking) {
        // Nor may `unrecorded` keep the written ones (evicted next) alive.
        this.unrecorded = this.unrecorded.filter((entry) => entry.unrecorded);
        this.limitChanges();
      }
    } else if (this.tracking) {
      // Recording the rest too lets every entry written be evicted.
      for (const entry of this.unrecorded) this.record(entry);
      this.unrecorded = [];
      this.limitChanges();
    }
    batch.forEach((entry, i) => {
      // Nothing written, and nothing worth remembering: the entry of a cleared window, say.
      if (entry.value === undefined && !wasStored[i]) this.forget(entry);
    });
    try {
      await this.db.write(ops);
    } catch (error) {
      this.stored -= storedDelta;
      batch.forEach((entry, i) => {
        const was = wasStored[i] ?? entry.stored;
        if (entry.stored !== was) {
          if (was) this.namespaces?.added(entry.state.id, entry.namespace);
          else this.namespaces?.removed(entry.state.id, entry.namespace);
        }
        entry.stored = was;
        if (entry.cached && !entry.dirty) {
          entry.dirty = true;
          this.dirty.push(entry);
        }
      });
      throw error;
    }
    // A delete the database now holds leaves an entry not worth its room (a fired window's,
    // say): a later read finds the key absent there. Kept, such entries would fill the cache
    // until every flush also evicts, and live entries would reach the database with them.
    for (let i = 0; i < batch.length; i++) {
      const entry = batch[i]!;
      if (wasStored[i] && entry.value === undefined && entry.cached && !entry.dirty && !entry.unrecorded) this.forget(entry);
    }
    this.evict();
    this.compactOrder();
  }

  /**
   * Forgets the no-op entries of `dirty` (deletes of what neither the database nor, once their
   * deletes are recorded, the snapshots hold), writing nothing.
   */
  private sweep(): void {
    if (this.noops === 0 && this.stale === 0) return;
    const dirty: CacheEntry[] = [];
    let noops = 0;
    for (const entry of this.dirty) {
      if (!entry.dirty) continue;
      if (!entry.noop || entry.value !== undefined || entry.stored) {
        dirty.push(entry);
        if (entry.noop) noops++;
        continue;
      }
      if (this.tracking) this.record(entry);
      entry.dirty = false;
      entry.noop = false;
      this.forget(entry);
    }
    this.dirty = dirty;
    this.noops = noops;
    this.stale = 0;
    if (this.tracking) {
      this.unrecorded = this.unrecorded.filter((entry) => entry.unrecorded);
      this.limitChanges();
    }
    this.compactOrder();
  }

  /** Lets `order` go of forgotten entries once they outnumber the cached ones. */
  private compactOrder(): void {
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
      if (entry.dirty || entry.unrecorded) kept.push(entry);
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
        if (entry.cached && !entry.dirty && !entry.unrecorded && (this.count > entriesTarget || this.bytes > bytesTarget)) {
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
      entry.unrecorded = false;
    }
    for (const id of stateIds) this.index.delete(id);
    this.namespaces?.dropStates(stateIds);
    this.order = this.order.filter((entry) => entry.cached);
    this.uncachedInOrder = 0;
    this.stored = Math.max(0, this.stored - deletedFromDb);
    this.dirty = this.dirty.filter((entry) => entry.dirty);
    this.noops = this.dirty.filter((entry) => entry.noop).length;
    this.stale = 0;
    this.unrecorded = this.unrecorded.filter((entry) => entry.unrecorded);
  }

  /**
   * Drops every entry and sets what the database holds (after it was cleared, or restored into):
   * the stored-entries count and the namespaces they are in. Stops tracking changes too.
   */
  reset(storedEntries = 0, namespaces = new StoredNamespaces()): void {
    this.empty();
    this.stored = storedEntries;
    this.namespaces = namespaces;
  }

  /** Drops every entry, dirty ones unwritten, keeping what it knows of the database; stops tracking changes. */
  empty(): void {
    this.stopTracking();
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
    this.stale = 0;
    this.bytes = 0;
  }
}
