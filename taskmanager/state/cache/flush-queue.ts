/**
 * What the cache owes the database, and the order its batches are written in. Entries that owe a
 * write are `dirty`, deletes of what the database does not hold are `void` (owed nothing, and not
 * counted toward a flush); the two lists (`OwedList`) are the record of both, so that their
 * lengths are the counts. Flushes run one after another: each starts when the one before it settled, so that a
 * batch holds exactly what was owed when it started and two batches never race. A batch marks
 * its entries `flushing`; a write during the flight makes an entry dirty again, and a failed
 * batch (`rollback`) makes every entry it held owe its write again.
 */
import type { CacheEntry } from './cache-entry.ts';
import { OwedList } from './owed-list.ts';

/** See the module comment. */
export class FlushQueue {
  private readonly dirty = new OwedList();
  private readonly voids = new OwedList();
  /** The last flush started, until it settles (never rejects). */
  private running: Promise<void> | undefined;
  /** The error of a flush nobody awaited, for the owner's next call to see. */
  private unseenFailure: unknown = undefined;

  /** Entries that owe a write. */
  get owed(): number {
    return this.dirty.size;
  }

  /** Nothing is owed, no void delete waits, and no batch is in flight. */
  get idle(): boolean {
    return this.dirty.size === 0 && this.voids.size === 0 && this.running === undefined;
  }

  /** Whether a batch is being written. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Notes that an entry's value changed. A delete of what the database does not hold (`isVoid`)
   * owes nothing: a dirty entry becomes void, any other keeps its status (a clean one agrees with
   * the database, a flushing one will once its batch is written).
   */
  changed(entry: CacheEntry, isVoid: boolean): void {
    const status = entry.status;
    if (isVoid) {
      if (status !== 'dirty') return;
      this.dirty.delete(entry);
      entry.status = 'void';
      this.voids.add(entry);
    } else if (status !== 'dirty') {
      if (status === 'void') this.voids.delete(entry);
      entry.status = 'dirty';
      this.dirty.add(entry);
    }
  }

  /** Takes every owed entry and every void one, for a batch of all (void ones write nothing). */
  takeAll(): CacheEntry[] {
    const batch = this.dirty.drain();
    for (const entry of this.voids.drain()) batch.push(entry);
    return batch;
  }

  /** Marks an entry of a batch as written and in flight. */
  writing(entry: CacheEntry): void {
    if (entry.status === 'dirty') this.dirty.delete(entry);
    else if (entry.status === 'void') this.voids.delete(entry);
    entry.status = 'flushing';
  }

  /** Marks a held entry clean, owing nothing (a void one forgotten, or a batch written). */
  settled(entry: CacheEntry): void {
    if (entry.status === 'evicted') return;
    if (entry.status === 'dirty') this.dirty.delete(entry);
    else if (entry.status === 'void') this.voids.delete(entry);
    entry.status = 'clean';
  }

  /** Takes an entry out for good (evicted or dropped), owed or not. */
  remove(entry: CacheEntry): void {
    if (entry.status === 'dirty') this.dirty.delete(entry);
    else if (entry.status === 'void') this.voids.delete(entry);
    entry.status = 'evicted';
  }

  /** The void entries, to forget them. */
  voidEntries(): CacheEntry[] {
    return this.voids.toArray();
  }

  /**
   * After a failed batch: each of its entries still held owes its write again, as dirty, or as
   * void when it is a delete of what the database (as restored) does not hold.
   */
  rollback(entries: readonly CacheEntry[]): void {
    for (const entry of entries) {
      if (entry.status === 'evicted') continue;
      if (entry.status === 'flushing') entry.status = 'clean';
      this.changed(entry, entry.value === undefined && !entry.stored);
    }
  }

  /**
   * Runs `flushOnce` after the flush in flight, if any; at once when idle, so that the batch
   * holds exactly what was owed at the call.
   */
  run(flushOnce: () => Promise<void>): Promise<void> {
    const previous = this.running;
    const run = previous === undefined ? flushOnce() : previous.then(flushOnce);
    const settled: Promise<void> = run.then(
      (): void => this.ended(settled),
      (): void => this.ended(settled),
    );
    this.running = settled;
    return run;
  }

  /** Runs a flush nobody awaits; its failure is thrown by the next `throwUnseenFailure`. */
  runBehind(flushOnce: () => Promise<void>): void {
    this.run(flushOnce).catch((error: unknown) => {
      this.unseenFailure = error;
    });
  }

  /** Throws the failure of a flush nobody awaited, once. */
  throwUnseenFailure(): void {
    const failure = this.unseenFailure;
    if (failure === undefined) return;
    this.unseenFailure = undefined;
    throw failure;
  }

  /** Forgets every owed entry unwritten (they leave the cache). */
  clear(): void {
    for (const entry of this.dirty.drain()) entry.status = 'evicted';
    for (const entry of this.voids.drain()) entry.status = 'evicted';
  }

  private ended(flush: Promise<void>): void {
    if (this.running === flush) this.running = undefined;
  }
}
