/**
 * The cache's limits and its eviction policy, CLOCK (approximately LRU): entries sit in insertion
 * order, a hit only marks its entry `hot`, and eviction gives marked entries a second chance at
 * the back. Eviction goes down to `EVICT_TO` of the limits, so that a flush makes room for many
 * misses, not one. It also holds the byte count of the cached values: sizes are the encoded
 * values' bytes, measured when read and when encoded, and guessed for a new value until then.
 *
 * The ring is an insertion-ordered set, so that it is the one record of what is cached: its size
 * is the entry count, and an entry leaves it the moment it leaves the cache.
 */
import type { CacheEntry } from './cache-entry.ts';

/** Eviction goes down to this share of the limits (hysteresis: a flush makes room for many misses). */
export const EVICT_TO = 0.9;

/** Size guess of a value not yet encoded. */
export const ESTIMATED_VALUE_BYTES = 32;

/** Whether an entry must stay (owes a write or a record); eviction passes over it. */
export type Pinned = (entry: CacheEntry) => boolean;

/** See the module comment. */
export class ClockEviction {
  private readonly ring = new Set<CacheEntry>();
  private bytes = 0;

  constructor(
    /** Entry limit. */
    readonly maxEntries: number,
    /** Byte limit (encoded values). */
    readonly maxBytes: number,
  ) {}

  /** Entries held. */
  get size(): number {
    return this.ring.size;
  }

  /** Approximate encoded bytes of the held values. */
  get cachedBytes(): number {
    return this.bytes;
  }

  /** Whether the cache is over one of its limits. */
  get over(): boolean {
    return this.ring.size > this.maxEntries || this.bytes > this.maxBytes;
  }

  /** Every held entry, oldest first. */
  entries(): IterableIterator<CacheEntry> {
    return this.ring.values();
  }

  /** Adds a new entry at the back, counting its size. */
  add(entry: CacheEntry): void {
    this.ring.add(entry);
    this.bytes += entry.size;
  }

  /** Sets an entry's size (0 when absent), keeping the byte count. */
  resize(entry: CacheEntry, size: number): void {
    this.bytes += size - entry.size;
    entry.size = size;
  }

  /** Takes an entry out; its size no longer counts. */
  delete(entry: CacheEntry): void {
    if (this.ring.delete(entry)) this.bytes -= entry.size;
  }

  /** Forgets every entry. */
  clear(): void {
    this.ring.clear();
    this.bytes = 0;
  }

  /**
   * The pinned entries (`mustWrite`) that eviction needs written to bring the cache down to
   * `EVICT_TO` of its limits, oldest first, like eviction: with the evictable entries met on the
   * way, they make up the excess. `skip` names entries that writing would not make evictable.
   */
  roomBatch(mustWrite: (entry: CacheEntry) => boolean, skip: (entry: CacheEntry) => boolean): CacheEntry[] {
    const entriesOver = this.ring.size - Math.floor(this.maxEntries * EVICT_TO);
    const bytesOver = this.bytes - Math.floor(this.maxBytes * EVICT_TO);
    const batch: CacheEntry[] = [];
    let entries = 0;
    let bytes = 0;
    for (const entry of this.ring) {
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
    const above = (): boolean => this.ring.size > entriesTarget || this.bytes > bytesTarget;
    // Entries moved to the back are met again at the end of the set; the count stops before them.
    let unvisited = this.ring.size;
    for (const entry of this.ring) {
      if (unvisited-- === 0 || !above()) break;
      if (pinned(entry)) continue;
      this.ring.delete(entry);
      if (entry.hot) {
        entry.hot = false;
        this.ring.add(entry);
      } else {
        this.bytes -= entry.size;
        evicted(entry);
      }
    }
    if (!above()) return;
    for (const entry of this.ring) {
      if (!above()) break;
      if (pinned(entry)) continue;
      this.delete(entry);
      evicted(entry);
    }
  }
}
