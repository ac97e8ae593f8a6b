/**
 * Creates the entry of a cache miss from what the database holds: read and decoded for a lookup,
 * or only probed for existence for a blind write. Neither reads where the database holds nothing
 * of the (state, namespace), as far as the stored view knows.
 */
import type { KeyValue } from '../../../common/key-groups.ts';
import type { StateKeyEncoder, KeyId } from '../state-key-layout.ts';
import { decodeStateValue, type StoredValue } from '../state-value-codec.ts';
import { CacheEntry, type CacheDatabase, type CachedState } from './cache-entry.ts';
import type { StoredView } from './stored-view.ts';

/** See the module comment. */
export class EntryLoader {
  private readonly decoded: StoredValue = { value: undefined, stamp: 0 };

  constructor(
    private readonly db: CacheDatabase,
    private readonly stored: StoredView,
    private readonly encoder: StateKeyEncoder,
  ) {}

  /** A new entry holding the key's value from the database (absent when it holds none). */
  read(state: CachedState, keyGroup: number, key: KeyValue, keyId: KeyId, namespace: string, userKey: number | undefined, slot: string): CacheEntry {
    const entry = new CacheEntry(state, keyGroup, key, keyId, namespace, userKey, slot);
    const bytes = this.get(entry);
    if (bytes !== undefined) {
      decodeStateValue(bytes, this.decoded);
      entry.value = state.fromPlain(this.decoded.value);
      entry.stamp = this.decoded.stamp;
      this.decoded.value = undefined;
      entry.stored = true;
      entry.snapshot = 'held';
      entry.size = bytes.length;
    }
    return entry;
  }

  /**
   * A new entry, without its value, knowing whether the database holds the key: from `known`
   * when the caller knows (true: stored), else by probing.
   */
  probe(state: CachedState, keyGroup: number, key: KeyValue, keyId: KeyId, namespace: string, userKey: number | undefined, slot: string, known: boolean | undefined): CacheEntry {
    const entry = new CacheEntry(state, keyGroup, key, keyId, namespace, userKey, slot);
    if (known !== undefined) {
      entry.stored = known;
    } else {
      const bytes = this.get(entry);
      entry.stored = bytes !== undefined;
      entry.size = bytes?.length ?? 0;
    }
    // Uncached, the database and the snapshots agree on the entry.
    entry.snapshot = entry.stored ? 'held' : 'absent';
    return entry;
  }

  private get(entry: CacheEntry): Uint8Array | undefined {
    if (!this.stored.mayHold(entry.state.id, entry.namespace)) return undefined;
    return this.db.getSync(this.encoder.encode(entry.keyGroup, entry.state.id, entry.key, entry.namespace, entry.userKey));
  }
}
