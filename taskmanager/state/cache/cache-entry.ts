/**
 * One cached (key, namespace, user key) of one state, and the two states it can be in: where it
 * stands with the database (`EntryStatus`, moved by the flush queue) and with the snapshots
 * (`SnapshotStatus`, moved by the change recorder). Each is one typed union, so that an entry is
 * never half dirty: no pair of flags has to agree.
 */
import type { KeyValue } from '../../../common/key-groups.ts';
import type { StateDb } from '../state-db.ts';
import type { KeyId } from '../state-key-layout.ts';

/** What the cache needs to know about a state to name, encode and decode its entries. */
export interface CachedState {
  readonly id: number;
  /** Whether entries carry a last-refresh time (the state has a TTL). */
  readonly withTtl: boolean;
  /** Turns a cached value into what is encoded (a map state's Map into pairs, say). */
  toPlain(value: unknown): unknown;
  /** Inverse of `toPlain`, on a decoded value. */
  fromPlain(plain: unknown): unknown;
}

/** What the cache uses of the state database: synchronous point reads and atomic batches. */
export type CacheDatabase = Pick<StateDb, 'getSync' | 'write'>;

/**
 * Where an entry stands with the database:
 * - `clean`: the database holds what the entry says (its value, or nothing);
 * - `dirty`: a write is owed (a value, or the delete of a key the database holds);
 * - `void`: a delete of a key the database does not hold: nothing is owed, the entry waits to be
 *   forgotten (a window's contents created and cleared between flushes);
 * - `flushing`: written in the batch in flight, not yet confirmed; a write makes it dirty again;
 * - `evicted`: out of the cache; the object must not be used any more.
 */
export type EntryStatus = 'clean' | 'dirty' | 'void' | 'flushing' | 'evicted';

/**
 * What the snapshots, with the changes recorded since, know of an entry while changes are
 * tracked: they hold it or not (`held`, `absent`), and it changed since it was last recorded
 * (`changed-held`, `changed-absent`: a value, or a delete of what they hold, to record).
 */
export type SnapshotStatus = 'held' | 'absent' | 'changed-held' | 'changed-absent';

/** See the module comment. */
export class CacheEntry {
  /** The decoded value; undefined when absent (a cached miss or a pending delete). */
  value: unknown = undefined;
  /** Last-refresh time for TTL states, else 0. */
  stamp = 0;
  /** See `EntryStatus`. */
  status: EntryStatus = 'clean';
  /** Whether the database holds the key (after the batches written or in flight). */
  stored = false;
  /** Encoded size in bytes (measured or estimated); 0 when absent. */
  size = 0;
  /** Used since eviction last passed it: it gets a second chance. */
  hot = false;
  /** See `SnapshotStatus`. */
  snapshot: SnapshotStatus = 'absent';
  /** The change set (by epoch) the entry was last recorded in, to spot a key recorded twice. */
  recordedIn = -1;
  /** The change set (by epoch) current when the entry was created. */
  bornIn = 0;
  /** The eviction order's neighbours: the next older and newer entry (see `ClockEviction`). */
  older: CacheEntry | undefined = undefined;
  newer: CacheEntry | undefined = undefined;
  /** The neighbours in the flush queue's list of dirty or of void entries (see `OwedList`). */
  owedPrev: CacheEntry | undefined = undefined;
  owedNext: CacheEntry | undefined = undefined;

  constructor(
    readonly state: CachedState,
    readonly keyGroup: number,
    readonly key: KeyValue,
    readonly keyId: KeyId,
    readonly namespace: string,
    readonly userKey: number | undefined,
    /** The namespace slot of the index: the namespace, plus the user key when there is one. */
    readonly slot: string,
  ) {}
}

/** The index slot of a namespace and user key. */
export function slotOf(namespace: string, userKey: number | undefined): string {
  return userKey === undefined ? namespace : `${namespace}\u0000${userKey + 0}`;
}
