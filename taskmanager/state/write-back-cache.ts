/**
 * The write-back cache in front of the state database, one per keyed backend: decoded JS values
 * by (state, key, namespace, user key). This facade keeps the API the state handles and the
 * backend use, and wires the cache's roles, each in `cache/`:
 * - `entry-index.ts`, the index, and `cache-entry.ts`, an entry and its two status unions;
 * - `clock-eviction.ts`, the limits and CLOCK eviction;
 * - `flush-queue.ts`, what is owed to the database and the order of the batches, and
 *   `flush-batch.ts`, one batch with its rollback;
 * - `change-recorder.ts`, the changes recorded for incremental snapshots;
 * - `stored-view.ts`, what the database holds (entry count, namespaces).
 *
 * A miss reads the database with `getSync` (unless it holds nothing of the namespace) and caches
 * the result, absent ones too. Writes only change the cached value and mark it dirty. A delete of
 * what the database does not hold is void: it does not count toward `needsFlush`, and such entries
 * are forgotten rather than written (by `flushBehind`, by the next flush, or once a snapshot
 * recorded the delete). `flush` writes every owed entry in one batch and only then, over a limit,
 * evicts clean entries; so a dirty entry is never evicted before it was written, and an entry
 * object stays valid (in the cache) until the next flush. Once tracking started, the synchronous
 * phase of a snapshot takes the recorded changes (`takeChanges`) with no write to the database.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type { StateChangeSet } from './snapshot/state-change-set.ts';
import { StateKeyEncoder, type KeyId } from './state-key-layout.ts';
import type { StoredNamespaces } from './stored-namespaces.ts';
import { decodeStateValue, encodeStateValue, type StoredValue } from './state-value-codec.ts';
import { CacheEntry, slotOf, type CacheDatabase, type CachedState } from './cache/cache-entry.ts';
import { ChangeRecorder } from './cache/change-recorder.ts';
import { ClockEviction, ESTIMATED_VALUE_BYTES } from './cache/clock-eviction.ts';
import { EntryIndex } from './cache/entry-index.ts';
import { flushBatch, type FlushRoles } from './cache/flush-batch.ts';
import { FlushQueue } from './cache/flush-queue.ts';
import { StoredView } from './cache/stored-view.ts';

export type { CacheDatabase, CachedState, CacheEntry } from './cache/cache-entry.ts';

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

/** See the module comment. */
export class WriteBackCache {
  private readonly index = new EntryIndex();
  private readonly eviction: ClockEviction;
  private readonly queue = new FlushQueue();
  private readonly recorder: ChangeRecorder;
  private readonly stored = new StoredView();
  private readonly encoder = new StateKeyEncoder();
  private readonly decoded: StoredValue = { value: undefined, stamp: 0 };
  private readonly roles: FlushRoles;
  /** Dirty entries that make `needsFlush` true. */
  readonly dirtyThreshold: number;

  constructor(
    private readonly db: CacheDatabase,
    options: WriteBackCacheOptions = {},
  ) {
    const maxEntries = options.maxEntries ?? 10_000;
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.dirtyThreshold = options.dirtyThreshold ?? maxEntries;
    if (!(maxEntries >= 1) || !(maxBytes >= 1) || !(this.dirtyThreshold >= 1)) {
      throw new Error(`cache limits must be positive; got maxEntries ${maxEntries}, maxBytes ${maxBytes}, dirtyThreshold ${this.dirtyThreshold}`);
    }
    this.eviction = new ClockEviction(maxEntries, maxBytes);
    const encodeValue = (entry: CacheEntry): Uint8Array => {
      const bytes = encodeStateValue(entry.state.toPlain(entry.value), entry.state.withTtl, entry.stamp);
      this.eviction.resize(entry, bytes.length);
      return bytes;
    };
    this.recorder = new ChangeRecorder(options.maxChangeBytes ?? 128 * 1024 * 1024, this.encoder, encodeValue);
    const { queue, recorder, stored, encoder } = this;
    this.roles = { db, queue, recorder, stored, encoder, encodeValue, forget: (entry) => this.forget(entry), evict: () => this.evict() };
  }

  /** Entry limit; see `WriteBackCacheOptions`. */
  get maxEntries(): number {
    return this.eviction.maxEntries;
  }
  /** Byte limit (encoded values); see `WriteBackCacheOptions`. */
  get maxBytes(): number {
    return this.eviction.maxBytes;
  }
  /** See `WriteBackCacheOptions.maxChangeBytes`. */
  get maxChangeBytes(): number {
    return this.recorder.maxChangeBytes;
  }
  /** Entries held. */
  get size(): number {
    return this.eviction.size;
  }
  /** Approximate encoded bytes of the held values. */
  get cachedBytes(): number {
    return this.eviction.cachedBytes;
  }
  /** See `StoredView.storedEntries`. */
  get storedEntries(): number {
    return this.stored.storedEntries;
  }
  /** Nothing is owed and no flush is in flight: the database holds every change. */
  get clean(): boolean {
    return this.queue.idle;
  }
  /** Whether changes are recorded for snapshots. */
  get trackingChanges(): boolean {
    return this.recorder.trackingChanges;
  }
  /** Whether changes were recorded, or are waiting to be, since tracking started or the last `takeChanges`. */
  get hasChanges(): boolean {
    return this.recorder.hasChanges;
  }
  /** Whether the owner should await `flush`: many dirty entries, or over a limit. */
  get needsFlush(): boolean {
    return this.queue.owed >= this.dirtyThreshold || this.eviction.over;
  }

  /** Starts recording changes from a state the snapshots hold exactly: call it when `clean`, at a full snapshot. */
  startTracking(): void {
    if (!this.clean) throw new Error('changes can be tracked only from a clean cache');
    this.recorder.start(this.eviction.entries());
  }

  /** Stops recording changes and forgets those recorded (open, restore, clear). */
  stopTracking(): void {
    this.recorder.stop();
  }

  /**
   * Records every entry changed since it was last recorded and returns what was recorded since
   * the last call (empty when changes are not tracked). Synchronous: the snapshot it belongs to
   * sees exactly the writes made before the call. Deletes neither the database nor now the
   * snapshots hold are forgotten.
   */
  takeChanges(): StateChangeSet {
    for (const entry of this.recorder.recordAll()) {
      if (entry.value === undefined && !entry.stored && (entry.status === 'clean' || entry.status === 'void')) this.forgetOwed(entry);
    }
    return this.recorder.take();
  }

  /** The entry of a key, reading it from the database on a miss; valid until the next `flush`. Change it only through `write`. */
  lookup(state: CachedState, keyGroup: number, key: KeyValue, keyId: KeyId, namespace: string, userKey: number | undefined): CacheEntry {
    const slot = slotOf(namespace, userKey);
    const byKey = this.index.byKey(state.id, slot);
    let entry = byKey.get(keyId);
    if (entry !== undefined) {
      entry.hot = true;
      return entry;
    }
    entry = new CacheEntry(state, keyGroup, key, keyId, namespace, userKey, slot);
    const bytes = this.stored.mayHold(state.id, namespace) ? this.db.getSync(this.encoder.encode(keyGroup, state.id, key, namespace, userKey)) : undefined;
    if (bytes !== undefined) {
      decodeStateValue(bytes, this.decoded);
      entry.value = state.fromPlain(this.decoded.value);
      entry.stamp = this.decoded.stamp;
      this.decoded.value = undefined;
      entry.stored = true;
      entry.snapshot = 'held';
      entry.size = bytes.length;
    }
    this.insert(byKey, entry);
    return entry;
  }

  /**
   * Replaces a key's value without reading it (`undefined` deletes). On a miss the database is
   * probed for existence only (for the stored-entries count and to skip deleting what is absent),
   * unless the caller knows it: `known` true means stored, false means absent.
   */
  writeBlind(state: CachedState, keyGroup: number, key: KeyValue, keyId: KeyId, namespace: string, userKey: number | undefined, value: unknown, stamp: number, known?: boolean): void {
    const slot = slotOf(namespace, userKey);
    const byKey = this.index.byKey(state.id, slot);
    let entry = byKey.get(keyId);
    if (entry !== undefined) {
      entry.hot = true;
    } else {
      entry = new CacheEntry(state, keyGroup, key, keyId, namespace, userKey, slot);
      if (known !== undefined) {
        entry.stored = known;
      } else if (this.stored.mayHold(state.id, namespace)) {
        const bytes = this.db.getSync(this.encoder.encode(keyGroup, state.id, key, namespace, userKey));
        entry.stored = bytes !== undefined;
        entry.size = bytes?.length ?? 0;
      }
      // Uncached, the database and the snapshots agree on the entry.
      entry.snapshot = entry.stored ? 'held' : 'absent';
      this.insert(byKey, entry);
    }
    this.write(entry, value, stamp);
  }

  /** Sets an entry's value (`undefined` deletes) and last-refresh time, and marks it dirty. */
  write(entry: CacheEntry, value: unknown, stamp: number): void {
    entry.value = value;
    entry.stamp = stamp;
    if (this.recorder.trackingChanges) this.recorder.wrote(entry, value);
    if (value === undefined) {
      if (entry.size !== 0) this.eviction.resize(entry, 0);
      this.queue.changed(entry, !entry.stored);
    } else {
      if (entry.size === 0) this.eviction.resize(entry, ESTIMATED_VALUE_BYTES);
      this.queue.changed(entry, false);
    }
  }

  /** Marks an entry dirty after its value object was changed in place (a list appended to, say). */
  touch(entry: CacheEntry, stamp: number): void {
    this.write(entry, entry.value, stamp);
  }

  /** Writes every owed entry in one batch, then evicts down to the limits; entries written meanwhile go with the next batch. */
  flush(): Promise<void> {
    return this.queue.run(() => flushBatch(this.roles, this.queue.takeAll(), true));
  }

  /**
   * What the owner calls when `needsFlush`: first forgets the void deletes (often all that made
   * the cache full: the entries of cleared windows), then, if still needed, starts a flush and
   * returns undefined, so that the owner goes on while the batch is written; when an earlier
   * flush is still running it returns the new one's promise instead, to await: at most one batch
   * is written behind the owner. A flush nobody awaited that failed is thrown by the next call
   * (its entries owe their writes again). Below the dirty threshold the cache is only over a
   * limit, and the flush writes just the dirty entries eviction needs (`ClockEviction.roomBatch`):
   * a working set a little larger than the cache costs writes in proportion to the excess.
   */
  flushBehind(): Promise<void> | undefined {
    this.queue.throwUnseenFailure();
    this.sweep();
    if (!this.needsFlush) return undefined;
    const all = this.queue.owed >= this.dirtyThreshold;
    const flushOnce = (): Promise<void> => flushBatch(this.roles, all ? this.queue.takeAll() : this.roomBatch(), all);
    if (this.queue.busy) return this.queue.run(flushOnce);
    this.queue.runBehind(flushOnce);
    return undefined;
  }

  /** The dirty entries to write so that eviction can bring the cache under its limits. */
  private roomBatch(): CacheEntry[] {
    return this.eviction.roomBatch(
      (entry) => entry.status === 'dirty',
      (entry) => entry.status === 'void' || (entry.status !== 'dirty' && this.recorder.isChanged(entry)),
    );
  }

  /** Forgets the void entries (deletes of what neither the database nor, once recorded, the snapshots hold). */
  private sweep(): void {
    const voids = this.queue.voidEntries();
    if (voids.length === 0) return;
    for (const entry of voids) {
      this.recorder.record(entry);
      this.forgetOwed(entry);
    }
    this.recorder.limit();
  }

  /** Forgets an entry, settling what it owed (a void delete). */
  private forgetOwed(entry: CacheEntry): void {
    this.queue.settled(entry);
    this.forget(entry);
  }

  /** Takes a clean entry out of the cache. */
  private forget(entry: CacheEntry): void {
    if (!this.index.delete(entry)) return;
    this.eviction.delete(entry);
    this.left(entry);
  }

  private evict(): void {
    this.eviction.evict(
      (entry) => entry.status !== 'clean' || this.recorder.isChanged(entry),
      (entry) => {
        this.index.delete(entry);
        this.left(entry);
      },
    );
  }

  /** An entry left the cache. */
  private left(entry: CacheEntry): void {
    this.queue.remove(entry);
    this.recorder.leaving(entry);
  }

  private insert(byKey: Map<KeyId, CacheEntry>, entry: CacheEntry): void {
    this.recorder.born(entry);
    byKey.set(entry.keyId, entry);
    this.eviction.add(entry);
  }

  /** Drops the cached entries of some states, dirty or not, unwritten, after `deletedFromDb` of theirs were deleted from the database. */
  drop(stateIds: ReadonlySet<number>, deletedFromDb: number): void {
    for (const entry of this.eviction.entries()) {
      if (!stateIds.has(entry.state.id)) continue;
      this.eviction.delete(entry);
      this.left(entry);
    }
    this.index.dropStates(stateIds);
    this.stored.dropStates(stateIds, deletedFromDb);
  }

  /** Drops every entry and sets what the database holds (after it was cleared, or restored into); stops tracking changes. */
  reset(storedEntries = 0, namespaces?: StoredNamespaces): void {
    this.empty();
    this.stored.reset(storedEntries, namespaces);
  }

  /** Drops every entry, dirty ones unwritten, keeping what it knows of the database; stops tracking changes. */
  empty(): void {
    this.recorder.stop();
    this.queue.clear();
    for (const entry of this.eviction.entries()) entry.status = 'evicted';
    this.index.clear();
    this.eviction.clear();
  }
}
