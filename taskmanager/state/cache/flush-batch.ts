/**
 * One flush: turns entries into one database batch, writes it, and settles the entries, or rolls
 * them back when the write fails. The batch is built synchronously, before the write starts: each
 * entry is marked `flushing` and takes the `stored` it will have once written (a delete the
 * database did not hold writes nothing), and, while changes are tracked, what is written is
 * recorded too, so that a written entry can be evicted once the database and the snapshots agree
 * on it. After the write, deletes the database now holds are forgotten (a fired window's entries,
 * say: kept, they would fill the cache until every flush also evicts), and eviction runs.
 * A failed write restores every entry's `stored` and makes each owe its write again.
 */
import type { StateWrite } from '../state-db.ts';
import type { StateKeyEncoder } from '../state-key-layout.ts';
import type { CacheDatabase, CacheEntry } from './cache-entry.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { FlushQueue } from './flush-queue.ts';
import type { StoredView } from './stored-view.ts';

/** The roles of the cache that a flush drives. */
export interface FlushRoles {
  readonly db: CacheDatabase;
  readonly queue: FlushQueue;
  readonly recorder: ChangeRecorder;
  readonly stored: StoredView;
  readonly encoder: StateKeyEncoder;
  /** Encodes an entry's present value, measuring its size. */
  encodeValue(entry: CacheEntry): Uint8Array;
  /** Takes a clean entry out of the cache. */
  forget(entry: CacheEntry): void;
  /** Evicts down to the limits when over them. */
  evict(): void;
}

/**
 * Writes `entries` in one batch (see the module comment). `all` says the batch holds every owed
 * entry: then every changed entry is recorded too, so that each written one can be evicted.
 */
export async function flushBatch(roles: FlushRoles, entries: readonly CacheEntry[], all: boolean): Promise<void> {
  const { queue, recorder, stored } = roles;
  const ops: StateWrite[] = [];
  const wasStored: boolean[] = [];
  for (const entry of entries) {
    wasStored.push(entry.stored);
    if (entry.value === undefined && !entry.stored) {
      queue.settled(entry);
      continue;
    }
    queue.writing(entry);
    const key = roles.encoder.encodeCopy(entry.keyGroup, entry.state.id, entry.key, entry.namespace, entry.userKey);
    if (entry.value === undefined) {
      ops.push({ type: 'del', key });
      stored.setStored(entry, false);
      recorder.record(entry, key);
    } else {
      const value = roles.encodeValue(entry);
      ops.push({ type: 'put', key, value });
      stored.setStored(entry, true);
      recorder.record(entry, key, value);
    }
  }
  if (all) recorder.recordAll();
  recorder.settle();
  entries.forEach((entry, i) => {
    // Nothing written, and nothing worth remembering: the entry of a cleared window, say.
    if (entry.value === undefined && wasStored[i] === false && entry.status === 'clean') roles.forget(entry);
  });
  try {
    await roles.db.write(ops);
  } catch (error) {
    entries.forEach((entry, i) => {
      if (entry.status !== 'evicted') stored.setStored(entry, wasStored[i] ?? entry.stored);
    });
    queue.rollback(entries);
    throw error;
  }
  entries.forEach((entry, i) => {
    if (entry.status === 'flushing') queue.settled(entry);
    if (wasStored[i] === true && entry.value === undefined && entry.status === 'clean' && !recorder.isChanged(entry)) roles.forget(entry);
  });
  roles.evict();
}
