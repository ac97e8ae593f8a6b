/**
 * What the cache knows the database holds: how many entries it wrote and did not delete, and,
 * once told (`reset`), the (state, namespace) pairs that hold entries, so that a miss elsewhere
 * needs no read. Every change of an entry's `stored` goes through `setStored`, which keeps both.
 */
import { StoredNamespaces } from '../stored-namespaces.ts';
import type { CacheEntry } from './cache-entry.ts';

/** See the module comment. */
export class StoredView {
  private count = 0;
  /** Unknown (every miss reads) until `reset` says what the database holds. */
  private namespaces: StoredNamespaces | undefined;

  /**
   * Entries written and not deleted since the last `reset`. Exact for what passed through the
   * cache (blind writes probe the database for existence), but expired TTL entries that are never
   * read again stay counted.
   */
  get storedEntries(): number {
    return this.count;
  }

  /** Whether the database may hold entries of a state in a namespace. */
  mayHold(stateId: number, namespace: string): boolean {
    return this.namespaces?.mayHold(stateId, namespace) ?? true;
  }

  /** Sets whether the database holds an entry's key (after a write, or a rollback). */
  setStored(entry: CacheEntry, stored: boolean): void {
    if (entry.stored === stored) return;
    entry.stored = stored;
    if (stored) {
      this.count++;
      this.namespaces?.added(entry.state.id, entry.namespace);
    } else {
      this.count--;
      this.namespaces?.removed(entry.state.id, entry.namespace);
    }
  }

  /** Some states' entries were deleted from the database, `deleted` of them. */
  dropStates(stateIds: Iterable<number>, deleted: number): void {
    this.namespaces?.dropStates(stateIds);
    this.count = Math.max(0, this.count - deleted);
  }

  /** Says what the database holds (after it was cleared, or restored into). */
  reset(storedEntries: number, namespaces: StoredNamespaces = new StoredNamespaces()): void {
    this.count = storedEntries;
    this.namespaces = namespaces;
  }
}
