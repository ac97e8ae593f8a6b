/** The cache's roles wired as the facade wires them, for the tests of one batch and of membership. */
import { CacheMembers } from '../../../../taskmanager/state/cache/cache-members.ts';
import type { CacheEntry } from '../../../../taskmanager/state/cache/cache-entry.ts';
import { ChangeRecorder } from '../../../../taskmanager/state/cache/change-recorder.ts';
import { ClockEviction } from '../../../../taskmanager/state/cache/clock-eviction.ts';
import { EntryIndex } from '../../../../taskmanager/state/cache/entry-index.ts';
import type { FlushRoles } from '../../../../taskmanager/state/cache/flush-batch.ts';
import { FlushQueue } from '../../../../taskmanager/state/cache/flush-queue.ts';
import { StoredView } from '../../../../taskmanager/state/cache/stored-view.ts';
import { StateKeyEncoder } from '../../../../taskmanager/state/state-key-layout.ts';
import { encodeStateValue } from '../../../../taskmanager/state/state-value-codec.ts';
import { StoredNamespaces } from '../../../../taskmanager/state/stored-namespaces.ts';
import { FakeStateDb } from '../../../support/fakes/fake-state-db.ts';

/** Every role, and the flush roles over them. */
export interface Roles extends FlushRoles {
  readonly db: FakeStateDb;
  readonly index: EntryIndex;
  readonly eviction: ClockEviction;
  readonly members: CacheMembers;
  /** Adds an entry to the cache. */
  add(entry: CacheEntry): void;
  /** Sets an entry's value as the cache's `write` does. */
  write(entry: CacheEntry, value: unknown): void;
}

/** Roles over a fresh fake database that knows it holds nothing, recording changes. */
export function wireRoles(maxEntries = 100): Roles {
  const db = new FakeStateDb();
  const index = new EntryIndex();
  const eviction = new ClockEviction(maxEntries, 1 << 20);
  const queue = new FlushQueue();
  const encoder = new StateKeyEncoder();
  const encodeValue = (entry: CacheEntry): Uint8Array => {
    const bytes = encodeStateValue(entry.value, false, 0);
    eviction.resize(entry, bytes.length);
    return bytes;
  };
  const recorder = new ChangeRecorder(1 << 20, encoder, encodeValue);
  const stored = new StoredView();
  stored.reset(0, new StoredNamespaces());
  recorder.start([]);
  const members = new CacheMembers(index, eviction, queue, recorder);
  return {
    db,
    index,
    eviction,
    members,
    queue,
    recorder,
    stored,
    encoder,
    encodeValue,
    forget: (entry) => members.forget(entry),
    evict: () => members.evict(),
    add: (entry) => members.insert(index.byKey(entry.state.id, entry.slot), entry),
    write: (entry, value) => {
      entry.value = value;
      recorder.wrote(entry, value);
      queue.changed(entry, value === undefined && !entry.stored);
    },
  };
}
