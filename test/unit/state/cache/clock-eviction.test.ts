/** CLOCK eviction and the cache's limits: what is evicted, in which order, and what a room batch writes. */
import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../../../taskmanager/state/cache/cache-entry.ts';
import { ClockEviction } from '../../../../taskmanager/state/cache/clock-eviction.ts';
import { entryOf, plainState } from './entries.ts';

const STATE = plainState(1);

/** A ring of `count` entries k0, k1, ... of `size` bytes each, oldest first. */
function ring(eviction: ClockEviction, count: number, size = 1): CacheEntry[] {
  const entries = Array.from({ length: count }, (_, i) => entryOf(STATE, `k${i}`, 'ns', size));
  for (const entry of entries) eviction.add(entry);
  return entries;
}

const keys = (eviction: ClockEviction): string[] => [...eviction.entries()].map((e) => String(e.key));

/** Runs eviction, returning the keys evicted in order. */
function evict(eviction: ClockEviction, pinned: (e: CacheEntry) => boolean = () => false): string[] {
  const evicted: string[] = [];
  eviction.evict(pinned, (e) => evicted.push(String(e.key)));
  return evicted;
}

describe('clock eviction', () => {
  it('counts entries and bytes as they are added, resized and deleted', () => {
    const eviction = new ClockEviction(10, 100);
    const [a, b] = ring(eviction, 2, 5);
    expect(eviction.size).toBe(2);
    expect(eviction.cachedBytes).toBe(10);
    eviction.resize(a!, 40);
    expect(eviction.cachedBytes).toBe(45);
    eviction.delete(b!);
    eviction.delete(b!);
    expect(eviction.size).toBe(1);
    expect(eviction.cachedBytes).toBe(40);
    eviction.clear();
    expect([eviction.size, eviction.cachedBytes]).toEqual([0, 0]);
  });

  it('is over a limit when either the entries or the bytes exceed it, and evicts nothing before', () => {
    const eviction = new ClockEviction(3, 10);
    const [first] = ring(eviction, 3, 3);
    expect(eviction.over).toBe(false);
    expect(evict(eviction)).toEqual([]);
    eviction.resize(first!, 5);
    expect([eviction.size, eviction.cachedBytes, eviction.over]).toEqual([3, 11, true]);
    eviction.resize(first!, 0);
    ring(eviction, 1, 0);
    expect([eviction.size, eviction.cachedBytes, eviction.over]).toEqual([4, 6, true]);
  });

  it('evicts the oldest entries down to 90% of the limits', () => {
    const eviction = new ClockEviction(10, 1000);
    ring(eviction, 12);
    expect(evict(eviction)).toEqual(['k0', 'k1', 'k2']);
    expect(eviction.size).toBe(9);
    expect(keys(eviction)).toEqual(['k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10', 'k11']);
  });

  it('evicts down to 90% of the byte limit too', () => {
    const eviction = new ClockEviction(1000, 100);
    ring(eviction, 11, 10);
    expect(evict(eviction)).toEqual(['k0', 'k1']);
    expect(eviction.cachedBytes).toBe(90);
  });

  it('gives a hot entry a second chance at the back, unmarked', () => {
    const eviction = new ClockEviction(10, 1000);
    const entries = ring(eviction, 12);
    entries[0]!.hot = true;
    entries[2]!.hot = true;
    expect(evict(eviction)).toEqual(['k1', 'k3', 'k4']);
    expect(keys(eviction)).toEqual(['k5', 'k6', 'k7', 'k8', 'k9', 'k10', 'k11', 'k0', 'k2']);
    expect(entries[0]!.hot).toBe(false);
  });

  it('passes over pinned entries, keeping their place, and evicts spared ones in a second pass when it must', () => {
    const eviction = new ClockEviction(4, 1000);
    const entries = ring(eviction, 8);
    for (const e of entries.slice(0, 4)) e.hot = true;
    const pinned = new Set([entries[4], entries[5]]);
    // k0-k3 are spared, k4 and k5 pinned, k6 and k7 evicted: still 6 > 3, so the second pass takes k0-k2.
    expect(evict(eviction, (e) => pinned.has(e))).toEqual(['k6', 'k7', 'k0', 'k1', 'k2']);
    expect(keys(eviction)).toEqual(['k4', 'k5', 'k3']);
  });

  it('picks the oldest dirty entries a room batch must write, counting clean ones met on the way', () => {
    const eviction = new ClockEviction(10, 1000);
    const entries = ring(eviction, 14);
    const dirty = new Set(entries.filter((_, i) => i % 2 === 0));
    const skipped = new Set([entries[1]]);
    // 14 - 9 = 5 entries to free: k0 (dirty), k2 (dirty), k3, k4 (dirty), k5; k1 is skipped.
    const batch = eviction.roomBatch((e) => dirty.has(e), (e) => skipped.has(e));
    expect(batch.map((e) => e.key)).toEqual(['k0', 'k2', 'k4']);
  });
});
