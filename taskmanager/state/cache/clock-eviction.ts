/**
 * The cache's limits and its eviction policy, CLOCK (approximately LRU): entries sit in insertion
 * order, a hit only marks its entry `hot`, and eviction gives marked entries a second chance at
 * the back. Eviction goes down to `EVICT_TO` of the limits, so that a flush makes room for many
 * misses, not one. It also holds the byte count of the cached values: sizes are the encoded
 * values' bytes, measured when read and when encoded, and guessed for a new value until then.
 *
 * The order is a doubly linked list through the entries themselves (`older`, `newer`): adding,
 * removing and moving an entry to the back cost no allocation and no hashing on the per-record
 * path, and the list is the one record of what is cached: its length is the entry count, and an
 * entry leaves it the moment it leaves the cache.
 */
import type { CacheEntry } from './cache-entry.ts';

/** Eviction goes down to this share of the limits (hysteresis: a flush makes room for many misses). */
const EVICT_TO = 0.9;

/** Size guess of a value not yet encoded. */
export const ESTIMATED_VALUE_BYTES = 32;

/** Whether an entry must stay (owes a write or a record); eviction passes over it. */
type Pinned = (entry: CacheEntry) => boolean;

/** See the module comment. */
export class ClockEviction {
  private oldest: CacheEntry | undefined = undefined;
  private newest: CacheEntry | undefined = undefined;
  private length = 0;
  private bytes = 0;

  constructor(
    /** Entry limit. */
    readonly maxEntries: number,
    /** Byte limit (encoded values). */
    readonly maxBytes: number,
  ) {}

  /** Entries held. */
  get size(): number {
    return this.length;
  }

  /** Approximate encoded bytes of the held values. */
  get cachedBytes(): number {
    return this.bytes;
  }

  /** Whether the cache is over one of its limits. */
  get over(): boolean {
    return this.length > this.maxEntries || this.bytes > this.maxBytes;
  }

  /** Every held entry, oldest first; the entry just yielded may be deleted meanwhile. */
  *entries(): Generator<CacheEntry> {
    let entry = this.oldest;
    while (entry !== undefined) {
      const newer = entry.newer;
      yield entry;
      entry = newer;
    }
  }

  /** Adds a new entry at the back, counting its size. */
  add(entry: CacheEntry): void {
    this.link(entry);
    this.bytes += entry.size;
  }

  /** Sets an entry's size (0 when absent), keeping the byte count. */
  resize(entry: CacheEntry, size: number): void {
    this.bytes += size - entry.size;
    entry.size = size;
  }

  /** Takes an entry out; its size no longer counts. */
  delete(entry: CacheEntry): void {
    if (entry.older === undefined && entry.newer === undefined && this.oldest !== entry) return;
    this.unlink(entry);
    this.bytes -= entry.size;
  }

  /** Forgets every entry. */
  clear(): void {
    for (const entry of this.entries()) {
      entry.older = undefined;
      entry.newer = undefined;
    }
    this.oldest = undefined;
    this.newest = undefined;
    this.length = 0;
    this.bytes = 0;
  }

  /**
   * The pinned entries (`mustWrite`) that eviction needs written to bring the cache down to
   * `EVICT_TO` of its limits, oldest first, like eviction: with the evictable entries met on the
   * way, they make up the excess. `skip` names entries that writing would not make evictable.
   */
  roomBatch(mustWrite: (entry: CacheEntry) => boolean, skip: (entry: CacheEntry) => boolean): CacheEntry[] {
    const entriesOver = this.length - Math.floor(this.maxEntries * EVICT_TO);
    const bytesOver = this.bytes - Math.floor(this.maxBytes * EVICT_TO);
    const batch: CacheEntry[] = [];
    let entries = 0;
    let bytes = 0;
    for (let entry = this.oldest; entry !== undefined; entry = entry.newer) {
      if (entries >= entriesOver && bytes >= bytesOver) break;
      if (skip(entry)) continue;
      if (mustWrite(entry)) batch.push(entry);
      entries++;
      bytes += entry.size;
    }
    return batch;
  }

  /**
   * Once over a limit, evicts unpinned entries, oldest first, down to `EVICT_TO` of the limits:
   * a hot entry loses its mark and goes to the back instead, and a second pass evicts from the
   * front again if the first did not free enough. `evicted` is told of each entry removed.
   */
  evict(pinned: Pinned, evicted: (entry: CacheEntry) => void): void {
    if (!this.over) return;
    const entriesTarget = Math.floor(this.maxEntries * EVICT_TO);
    const bytesTarget = Math.floor(this.maxBytes * EVICT_TO);
    const above = (): boolean => this.length > entriesTarget || this.bytes > bytesTarget;
    // Entries moved to the back are met again at the end of the list; the count stops before them.
    let unvisited = this.length;
    for (let entry = this.oldest; entry !== undefined && unvisited-- > 0 && above(); ) {
      const newer = entry.newer;
      if (!pinned(entry)) {
        this.unlink(entry);
        if (entry.hot) {
          entry.hot = false;
          this.link(entry);
        } else {
          this.bytes -= entry.size;
          evicted(entry);
        }
      }
      entry = newer;
    }
    for (let entry = this.oldest; entry !== undefined && above(); ) {
      const newer = entry.newer;
      if (!pinned(entry)) {
        this.delete(entry);
        evicted(entry);
      }
      entry = newer;
    }
  }

  /** Appends an entry at the newest end. */
  private link(entry: CacheEntry): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest.newer = entry;
    this.newest = entry;
    this.length++;
  }

  /** Takes a listed entry out of the list. */
  private unlink(entry: CacheEntry): void {
    const { older, newer } = entry;
    if (older === undefined) this.oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.newest = older;
    else newer.older = older;
    entry.older = undefined;
    entry.newer = undefined;
    this.length--;
  }
}
