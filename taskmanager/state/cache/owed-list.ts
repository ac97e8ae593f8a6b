/**
 * A list of entries linked through the entries themselves (`owedPrev`, `owedNext`), oldest
 * first: the flush queue's dirty and void entries. An entry is in at most one such list; adding
 * and removing cost no allocation and no hashing, and the list's length is the count.
 */
import type { CacheEntry } from './cache-entry.ts';

/** See the module comment. */
export class OwedList {
  private first: CacheEntry | undefined = undefined;
  private last: CacheEntry | undefined = undefined;
  private length = 0;

  /** Entries listed. */
  get size(): number {
    return this.length;
  }

  /** Appends an entry that is in no list. */
  add(entry: CacheEntry): void {
    entry.owedPrev = this.last;
    entry.owedNext = undefined;
    if (this.last === undefined) this.first = entry;
    else this.last.owedNext = entry;
    this.last = entry;
    this.length++;
  }

  /** Takes an entry out of this list; nothing happens to an entry that is in no list. */
  delete(entry: CacheEntry): void {
    const { owedPrev: prev, owedNext: next } = entry;
    if (prev === undefined && this.first !== entry) return;
    if (prev === undefined) this.first = next;
    else prev.owedNext = next;
    if (next === undefined) this.last = prev;
    else next.owedPrev = prev;
    entry.owedPrev = undefined;
    entry.owedNext = undefined;
    this.length--;
  }

  /** The listed entries, oldest first. */
  toArray(): CacheEntry[] {
    const entries: CacheEntry[] = [];
    for (let entry = this.first; entry !== undefined; entry = entry.owedNext) entries.push(entry);
    return entries;
  }

  /** Takes every entry out; returns them, oldest first. */
  drain(): CacheEntry[] {
    const entries = this.toArray();
    for (const entry of entries) {
      entry.owedPrev = undefined;
      entry.owedNext = undefined;
    }
    this.first = undefined;
    this.last = undefined;
    this.length = 0;
    return entries;
  }
}
