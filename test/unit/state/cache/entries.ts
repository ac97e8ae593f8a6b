/** Entries and states for the cache's unit tests. */
import { CacheEntry, slotOf, type CachedState } from '../../../../taskmanager/state/cache/cache-entry.ts';

/** A state without TTL whose values are stored as they are. */
export function plainState(id: number): CachedState {
  return { id, withTtl: false, toPlain: (v) => v, fromPlain: (v) => v };
}

/** A new entry of `state` for a string key in a namespace (key group 0), with a size. */
export function entryOf(state: CachedState, key: string, namespace = 'ns', size = 0): CacheEntry {
  const entry = new CacheEntry(state, 0, key, key, namespace, undefined, slotOf(namespace, undefined));
  entry.size = size;
  return entry;
}
