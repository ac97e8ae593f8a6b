/** What the cache owes the database: entry statuses, the owed and void sets, batch sequencing and failures. */
import { describe, expect, it } from 'vitest';
import type { CacheEntry, EntryStatus } from '../../../../taskmanager/state/cache/cache-entry.ts';
import { FlushQueue } from '../../../../taskmanager/state/cache/flush-queue.ts';
import { entryOf, plainState } from './entries.ts';

const STATE = plainState(1);

/** A promise and the functions that settle it. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve = (): void => undefined;
  let reject = (_: Error): void => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function entryWith(status: EntryStatus, value: unknown, stored: boolean): CacheEntry {
  const entry = entryOf(STATE, 'k');
  entry.status = status;
  entry.value = value;
  entry.stored = stored;
  return entry;
}

describe('flush queue: statuses', () => {
  it('makes a written entry dirty once, and counts only dirty entries as owed', () => {
    const queue = new FlushQueue();
    const entry = entryWith('clean', 1, false);
    queue.changed(entry, false);
    queue.changed(entry, false);
    expect(entry.status).toBe('dirty');
    expect(queue.owed).toBe(1);
    expect(queue.idle).toBe(false);
  });

  it('turns a dirty entry deleted before it was written into a void one, owed nothing, and back when written again', () => {
    const queue = new FlushQueue();
    const entry = entryWith('clean', 1, false);
    queue.changed(entry, false);
    queue.changed(entry, true);
    expect([entry.status, queue.owed, queue.idle]).toEqual(['void', 0, false]);
    expect(queue.voidEntries()).toEqual([entry]);
    queue.changed(entry, false);
    expect([entry.status, queue.owed]).toEqual(['dirty', 1]);
    expect(queue.voidEntries()).toEqual([]);
  });

  it('leaves a clean or flushing entry as it is on a void delete', () => {
    const queue = new FlushQueue();
    const clean = entryWith('clean', undefined, false);
    const flushing = entryWith('flushing', undefined, false);
    queue.changed(clean, true);
    queue.changed(flushing, true);
    expect([clean.status, flushing.status, queue.owed]).toEqual(['clean', 'flushing', 0]);
    queue.changed(flushing, false);
    expect([flushing.status, queue.owed]).toEqual(['dirty', 1]);
  });

  it('takes every owed and void entry for a batch, which marks them flushing and settles them clean', () => {
    const queue = new FlushQueue();
    const dirty = entryWith('clean', 1, false);
    const gone = entryWith('clean', 2, false);
    queue.changed(dirty, false);
    queue.changed(gone, false);
    queue.changed(gone, true);
    const batch = queue.takeAll();
    expect(batch).toEqual([dirty, gone]);
    expect(queue.idle).toBe(true);
    queue.writing(dirty);
    expect(dirty.status).toBe('flushing');
    queue.settled(dirty);
    expect(dirty.status).toBe('clean');
  });

  it('makes a failed batch owe its writes again: dirty, or void for a delete the database does not hold', () => {
    const queue = new FlushQueue();
    const put = entryWith('flushing', 1, false);
    const del = entryWith('flushing', undefined, true);
    const rewritten = entryWith('dirty', undefined, true);
    const evicted = entryWith('evicted', 1, false);
    queue.changed(rewritten, false);
    // The rollback restored `stored`: `rewritten` was a put in flight, deleted since; nothing holds it now.
    rewritten.stored = false;
    queue.rollback([put, del, rewritten, evicted]);
    expect([put.status, del.status, rewritten.status, evicted.status]).toEqual(['dirty', 'dirty', 'void', 'evicted']);
    expect(queue.owed).toBe(2);
  });

  it('removes an entry for good, owed or not, and clears every owed one', () => {
    const queue = new FlushQueue();
    const a = entryWith('clean', 1, false);
    const b = entryWith('clean', 2, false);
    queue.changed(a, false);
    queue.changed(b, false);
    queue.remove(a);
    expect([a.status, queue.owed]).toEqual(['evicted', 1]);
    queue.clear();
    expect([b.status, queue.owed, queue.idle]).toEqual(['evicted', 0, true]);
  });
});

describe('flush queue: sequencing', () => {
  it('starts a flush at once when idle, and the next only when the one before settled', async () => {
    const queue = new FlushQueue();
    const first = deferred();
    const second = deferred();
    const started: string[] = [];
    const a = queue.run(() => {
      started.push('a');
      return first.promise;
    });
    const b = queue.run(() => {
      started.push('b');
      return second.promise;
    });
    expect(started).toEqual(['a']);
    expect(queue.busy).toBe(true);
    first.reject(new Error('disk full'));
    await expect(a).rejects.toThrow('disk full');
    expect(started).toEqual(['a', 'b']);
    second.resolve();
    await b;
    await Promise.resolve();
    expect(queue.busy).toBe(false);
  });

  it('keeps the failure of a flush nobody awaited for the next call, once', async () => {
    const queue = new FlushQueue();
    const write = deferred();
    queue.runBehind(() => write.promise);
    expect(() => queue.throwUnseenFailure()).not.toThrow();
    write.reject(new Error('disk full'));
    const after = deferred();
    queue.run(() => {
      after.resolve();
      return Promise.resolve();
    });
    await after.promise;
    expect(() => queue.throwUnseenFailure()).toThrow('disk full');
    expect(() => queue.throwUnseenFailure()).not.toThrow();
  });
});
