/** A bounded, expiring cache in front of a lookup service. */
import type { LookupKey, LookupService } from './lookup-service.ts';

/** How long and how many answers are kept. */
export interface LookupCacheOptions {
  /** How long an answer stays valid, in ms. */
  readonly ttlMs: number;
  /** Entries kept at most; the least recently used one goes first. */
  readonly maxEntries: number;
  /** Whether "not found" (undefined) is cached too; default true. */
  readonly cacheMisses?: boolean;
  /** The clock, in ms; default Date.now. Tests inject their own. */
  readonly clock?: () => number;
}

interface CacheEntry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * Answers from cache while an entry is fresh, otherwise asks the wrapped service and keeps the
 * answer (LRU over `maxEntries`, expiry after `ttlMs`). Failures are never cached. Concurrent
 * misses of one key each ask the wrapped service.
 */
export class CachedLookupService<V = unknown> implements LookupService<V> {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly clock: () => number;
  /** Lookups answered from the cache. */
  hits = 0;
  /** Lookups passed to the wrapped service. */
  misses = 0;

  constructor(
    private readonly inner: LookupService<V>,
    private readonly options: LookupCacheOptions,
  ) {
    if (!(options.ttlMs > 0)) throw new Error(`lookup cache: ttlMs must be positive, got ${options.ttlMs}`);
    if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1) throw new Error(`lookup cache: maxEntries must be a positive integer, got ${options.maxEntries}`);
    this.clock = options.clock ?? Date.now;
  }

  /** Entries currently held (expired ones included until touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  async lookup(key: LookupKey, signal?: AbortSignal): Promise<V | undefined> {
    const id = `${typeof key}:${key}`;
    const cached = this.entries.get(id);
    if (cached) {
      this.entries.delete(id);
      if (cached.expiresAt > this.clock()) {
        this.entries.set(id, cached);
        this.hits++;
        return cached.value as V | undefined;
      }
    }
    this.misses++;
    const value = await this.inner.lookup(key, signal);
    if (value !== undefined || (this.options.cacheMisses ?? true)) this.put(id, value);
    return value;
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }

  private put(id: string, value: unknown): void {
    this.entries.delete(id);
    this.entries.set(id, { value, expiresAt: this.clock() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
