/** The limits of a write-back cache, as configured and as resolved with their defaults. */

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

/** Every limit, defaults filled in. */
export type CacheLimits = Required<WriteBackCacheOptions>;

/** Fills in the defaults; throws, naming the option, when a limit is not positive. */
export function resolveCacheOptions(options: WriteBackCacheOptions): CacheLimits {
  const maxEntries = options.maxEntries ?? 10_000;
  const limits: CacheLimits = {
    maxEntries,
    maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
    dirtyThreshold: options.dirtyThreshold ?? maxEntries,
    maxChangeBytes: options.maxChangeBytes ?? 128 * 1024 * 1024,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!(value >= 1)) throw new Error(`state cache option ${name} must be positive; got ${String(value)}`);
  }
  return limits;
}
