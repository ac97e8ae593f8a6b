/**
 * The write-back cache in front of the state database, one per keyed backend: decoded JS values
 * by (state, key, namespace, user key). This facade keeps the API the state handles and the
 * backend use, and wires the cache's roles, each in `cache/`:
 * - `cache-entry.ts`, an entry and its two status unions; `cache-options.ts`, the limits;
 * - `entry-index.ts`, the index; `entry-loader.ts`, the entry of a miss, read from the database;
 * - `clock-eviction.ts`, CLOCK eviction and the entry and byte counts; `cache-members.ts`, every
 *   way into and out of the cache;
 * - `flush-queue.ts` (with `owed-list.ts`), what is owed to the database and the order of the
 *   batches, and `flush-batch.ts`, one batch with its rollback;
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
import { encodeStateValue } from './state-value-codec.ts';
import { slotOf, type CacheDatabase, type CacheEntry, type CachedState } from './cache/cache-entry.ts';
import { resolveCacheOptions, type WriteBackCacheOptions } from './cache/cache-options.ts';
import { CacheMembers } from './cache/cache-members.ts';
import { ChangeRecorder } from './cache/change-recorder.ts';
import { ClockEviction, ESTIMATED_VALUE_BYTES } from './cache/clock-eviction.ts';
import { EntryIndex } from './cache/entry-index.ts';
import { EntryLoader } from './cache/entry-loader.ts';
import { flushBatch, type FlushRoles } from './cache/flush-batch.ts';
import { FlushQueue } from './cache/flush-queue.ts';
import { StoredView } from './cache/stored-view.ts';

export type { CacheDatabase, CachedState, CacheEntry } from './cache/cache-entry.ts';
export type { WriteBackCacheOptions } from './cache/cache-options.ts';

/** See the module comment. */
export class WriteBackCache {
  private readonly index = new EntryIndex();
  private readonly eviction: ClockEviction;
  private readonly queue = new FlushQueue();
  private readonly recorder: ChangeRecorder;
  private readonly stored = new StoredView();
  private readonly encoder = new StateKeyEncoder();
  private readonly loader: EntryLoader;
  private readonly members: CacheMembers;
  private readonly roles: FlushRoles;
  /** Owed entries that make `needsFlush` true. */
  private readonly dirtyThreshold: number;

  constructor(db: CacheDatabase, options: WriteBackCacheOptions = {}) {
    const limits = resolveCacheOptions(options);
    this.dirtyThreshold = limits.dirtyThreshold;
    this.eviction = new ClockEviction(limits.maxEntries, limits.maxBytes);
    this.loader = new EntryLoader(db, this.stored, this.encoder);
    const encodeValue = (entry: CacheEntry): Uint8Array => {
      const bytes = encodeStateValue(entry.state.toPlain(entry.value), entry.state.withTtl, entry.stamp);
      this.eviction.resize(entry, bytes.length);
      return bytes;
    };
    this.recorder = new ChangeRecorder(limits.maxChangeBytes, this.encoder, encodeValue);
    this.members = new CacheMembers(this.index, this.eviction, this.queue, this.recorder);
    const { queue, recorder, stored, encoder } = this;
    this.roles = { db, queue, recorder, stored, encoder, encodeValue, forget: (entry) => this.members.forget(entry), evict: () => this.members.evict() };
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
    if (!this.clean) throw new Error(`changes can be tracked only from a clean cache; ${this.queue.owed} entries owe writes${this.queue.busy ? ', a flush is in flight' : ''}`);
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
    this.members.forgetRecordedDeletes(this.recorder.recordAll());
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
    entry = this.loader.read(state, keyGroup, key, keyId, namespace, userKey, slot);
    this.members.insert(byKey, entry);
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
      entry = this.loader.probe(state, keyGroup, key, keyId, namespace, userKey, slot, known);
      this.members.insert(byKey, entry);
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
    this.members.sweep();
    if (!this.needsFlush) return undefined;
    const all = this.queue.owed >= this.dirtyThreshold;
    const flushOnce = (): Promise<void> => flushBatch(this.roles, all ? this.queue.takeAll() : this.members.roomBatch(), all);
    if (this.queue.busy) return this.queue.run(flushOnce);
    this.queue.runBehind(flushOnce);
    return undefined;
  }

  /** Drops the cached entries of some states, dirty or not, unwritten, after `deletedFromDb` of theirs were deleted from the database. */
  drop(stateIds: ReadonlySet<number>, deletedFromDb: number): void {
    this.members.dropStates(stateIds);
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
    this.members.clear();
  }
}
