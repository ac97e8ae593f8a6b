/**
 * What every keyed state handle shares: its current namespace, the entry of the backend's current
 * key in the write-back cache, and TTL. A handle is also the `CachedState` of its entries.
 *
 * TTL is per cached entry, that is per (key, namespace): a list or a map expires as a whole (Flink
 * tracks list elements and map entries one by one). Each entry stores its last-refresh time;
 * writes refresh it, and with `OnReadAndWrite` reads do too (which makes the read a write). An
 * expired entry reads as absent and is deleted then; one that is never read again stays stored.
 */
import type { StateTtlConfig } from '../../client/runtime.ts';
import type { KeyValue } from '../../common/key-groups.ts';
import { VOID_NAMESPACE } from './keyed-state-backend.ts';
import type { KeyId } from './state-key-layout.ts';
import type { CacheEntry, CachedState, WriteBackCache } from './write-back-cache.ts';

/** What handles need from their backend: the cache, the clock and the current key. */
export interface StateContext {
  readonly cache: WriteBackCache;
  readonly clock: () => number;
  /** The current key; throws when none was set. */
  readonly requiredKey: KeyValue;
  readonly currentKeyGroup: number;
  /** `keyId` of the current key. */
  readonly currentKeyId: KeyId;
}

/** Base class of the keyed state handles; see the module comment. */
export abstract class AbstractKvState implements CachedState {
  readonly withTtl: boolean;
  private readonly ttlMs: number;
  private readonly refreshOnRead: boolean;
  /** The namespace reads and writes go to. */
  protected namespace = VOID_NAMESPACE;

  constructor(
    protected readonly context: StateContext,
    /** The state id. */
    readonly id: number,
    /** The state's name, for messages. */
    readonly name: string,
    ttl: StateTtlConfig | undefined,
  ) {
    if (ttl !== undefined && !(ttl.ttlMs > 0)) throw new Error(`state ${name}: ttlMs must be positive; got ${String(ttl.ttlMs)}`);
    this.withTtl = ttl !== undefined;
    this.ttlMs = ttl?.ttlMs ?? 0;
    this.refreshOnRead = ttl?.updateType === 'OnReadAndWrite';
  }

  /** Later reads and writes go to `namespace` of the current key. */
  setCurrentNamespace(namespace: string): void {
    this.namespace = namespace;
  }

  /** Stored form of a value; identity except for map state. */
  toPlain(value: unknown): unknown {
    return value;
  }

  /** Inverse of `toPlain`. */
  fromPlain(plain: unknown): unknown {
    return plain;
  }

  /** The current key's entry in a namespace; valid until the next flush. */
  protected entry(namespace: string = this.namespace): CacheEntry {
    const context = this.context;
    return context.cache.lookup(this, context.currentKeyGroup, context.requiredKey, context.currentKeyId, namespace, undefined);
  }

  /** An entry's live value: undefined when absent or expired (deleting it); refreshes on read if configured. */
  protected read(entry: CacheEntry): unknown {
    const value = entry.value;
    if (value === undefined || !this.withTtl) return value;
    const now = this.context.clock();
    if (entry.stamp + this.ttlMs <= now) {
      this.context.cache.write(entry, undefined, 0);
      return undefined;
    }
    if (this.refreshOnRead) this.context.cache.touch(entry, now);
    return value;
  }

  /** Stores a value in an entry (`undefined` clears it), refreshing its TTL. */
  protected store(entry: CacheEntry, value: unknown): void {
    this.context.cache.write(entry, value, this.withTtl ? this.context.clock() : 0);
  }

  /** Replaces the current key's value in the current namespace without reading it. */
  protected storeBlind(value: unknown): void {
    const context = this.context;
    context.cache.writeBlind(
      this,
      context.currentKeyGroup,
      context.requiredKey,
      context.currentKeyId,
      this.namespace,
      undefined,
      value,
      this.withTtl && value !== undefined ? context.clock() : 0,
    );
  }

  /** Clears the current key's value in the current namespace. */
  clear(): void {
    this.storeBlind(undefined);
  }
}

/** Base class of states whose namespaces can be merged (list, reducing, aggregating). */
export abstract class AbstractMergingKvState extends AbstractKvState {
  /** Folds `b` into `a` (both live values, `a` first); may reuse `a`. */
  protected abstract mergeValues(a: unknown, b: unknown): unknown;

  /**
   * Folds the sources' values into the target's, for the current key, and clears the sources:
   * the result is target ⊕ source1 ⊕ source2 ..., in that order. A source equal to the target
   * is skipped.
   */
  mergeNamespaces(target: string, sources: readonly string[]): void {
    let folded: unknown;
    for (const source of sources) {
      if (source === target) continue;
      const entry = this.entry(source);
      const value = this.read(entry);
      if (value === undefined) continue;
      this.context.cache.write(entry, undefined, 0);
      folded = folded === undefined ? value : this.mergeValues(folded, value);
    }
    if (folded === undefined) return;
    const entry = this.entry(target);
    const current = this.read(entry);
    this.store(entry, current === undefined ? folded : this.mergeValues(current, folded));
  }
}
