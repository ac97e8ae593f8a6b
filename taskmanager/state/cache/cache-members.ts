/**
 * Which entries the cache holds: the index (to find them) and the eviction ring (their order)
 * kept together, and what an entry's leaving means for the roles that still know it (the flush
 * queue lets go of what it owed, the recorder notes a key it recorded). Every way out of the
 * cache goes through here: eviction, forgetting deletes nothing holds, dropping states, emptying.
 */
import type { KeyId } from '../state-key-layout.ts';
import type { CacheEntry } from './cache-entry.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { ClockEviction } from './clock-eviction.ts';
import type { EntryIndex } from './entry-index.ts';
import type { FlushQueue } from './flush-queue.ts';

/** See the module comment. */
export class CacheMembers {
  constructor(
    private readonly index: EntryIndex,
    private readonly eviction: ClockEviction,
    private readonly queue: FlushQueue,
    private readonly recorder: ChangeRecorder,
  ) {}

  /** Adds a new entry under its key (`byKey`: the index's map of its state and slot). */
  insert(byKey: Map<KeyId, CacheEntry>, entry: CacheEntry): void {
    this.recorder.born(entry);
    byKey.set(entry.keyId, entry);
    this.eviction.add(entry);
  }

  /** Takes an entry out of the cache, settling a void delete it owed. */
  forget(entry: CacheEntry): void {
    this.queue.settled(entry);
    if (!this.index.delete(entry)) return;
    this.eviction.delete(entry);
    this.left(entry);
  }

  /**
   * Forgets the void entries (deletes of what neither the database nor, once their deletes are
   * recorded, the snapshots hold), writing nothing.
   */
  sweep(): void {
    const voids = this.queue.voidEntries();
    if (voids.length === 0) return;
    for (const entry of voids) {
      this.recorder.record(entry);
      this.forget(entry);
    }
    this.recorder.settle();
  }

  /** Forgets those of `recorded` (just recorded) that are deletes neither the database nor the snapshots hold. */
  forgetRecordedDeletes(recorded: readonly CacheEntry[]): void {
    for (const entry of recorded) {
      if (entry.value === undefined && !entry.stored && (entry.status === 'clean' || entry.status === 'void')) this.forget(entry);
    }
  }

  /** The dirty entries to write so that eviction can bring the cache under its limits. */
  roomBatch(): CacheEntry[] {
    return this.eviction.roomBatch(
      (entry) => entry.status === 'dirty',
      (entry) => entry.status === 'void' || (entry.status !== 'dirty' && this.recorder.isChanged(entry)),
    );
  }

  /** Evicts entries that owe nothing, down to the limits, when over them. */
  evict(): void {
    this.eviction.evict(
      (entry) => entry.status !== 'clean' || this.recorder.isChanged(entry),
      (entry) => {
        this.index.delete(entry);
        this.left(entry);
      },
    );
  }

  /** Drops the entries of some states, owed or not, unwritten. */
  dropStates(stateIds: ReadonlySet<number>): void {
    for (const entry of this.eviction.entries()) {
      if (!stateIds.has(entry.state.id)) continue;
      this.eviction.delete(entry);
      this.left(entry);
    }
    this.index.dropStates(stateIds);
  }

  /** Drops every entry, owed ones unwritten. */
  clear(): void {
    this.queue.clear();
    for (const entry of this.eviction.entries()) entry.status = 'evicted';
    this.index.clear();
    this.eviction.clear();
  }

  private left(entry: CacheEntry): void {
    this.queue.remove(entry);
    this.recorder.leaving(entry);
  }
}
