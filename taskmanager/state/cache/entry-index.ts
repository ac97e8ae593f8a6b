/**
 * The cache's index: state id, then namespace slot, then key id, to the entry. Nested maps, so
 * that a lookup concatenates nothing and hashes only numbers or strings whose hash V8 has already
 * cached (a window's namespace, a string key). Each state remembers the slot it was used with
 * last, which spares the slot lookup for runs of records in one window.
 */
import type { KeyId } from '../state-key-layout.ts';
import type { CacheEntry } from './cache-entry.ts';

/** Entries of one state: namespace slot → key id → entry, and the slot used last. */
class StateSlots {
  readonly bySlot = new Map<string, Map<KeyId, CacheEntry>>();
  private lastSlot: string | undefined = undefined;
  private lastByKey: Map<KeyId, CacheEntry> | undefined = undefined;

  /** The key → entry map of a slot, created on first use. */
  byKey(slot: string): Map<KeyId, CacheEntry> {
    if (slot === this.lastSlot && this.lastByKey !== undefined) return this.lastByKey;
    let byKey = this.bySlot.get(slot);
    if (byKey === undefined) {
      byKey = new Map();
      this.bySlot.set(slot, byKey);
    }
    this.lastSlot = slot;
    this.lastByKey = byKey;
    return byKey;
  }

  /** Removes an entry; false if the slot holds another entry (or none) under its key. */
  delete(entry: CacheEntry): boolean {
    const byKey = this.bySlot.get(entry.slot);
    if (byKey?.get(entry.keyId) !== entry) return false;
    byKey.delete(entry.keyId);
    if (byKey.size === 0) {
      this.bySlot.delete(entry.slot);
      if (this.lastByKey === byKey) {
        this.lastSlot = undefined;
        this.lastByKey = undefined;
      }
    }
    return true;
  }
}

/** See the module comment. */
export class EntryIndex {
  private readonly states = new Map<number, StateSlots>();

  /** The key → entry map of a state and slot, created on first use: look up, then `set` a new entry. */
  byKey(stateId: number, slot: string): Map<KeyId, CacheEntry> {
    let state = this.states.get(stateId);
    if (state === undefined) {
      state = new StateSlots();
      this.states.set(stateId, state);
    }
    return state.byKey(slot);
  }

  /** Removes an entry; false when the index does not hold this very entry. */
  delete(entry: CacheEntry): boolean {
    return this.states.get(entry.state.id)?.delete(entry) === true;
  }

  /** Forgets every entry of some states. */
  dropStates(stateIds: Iterable<number>): void {
    for (const id of stateIds) this.states.delete(id);
  }

  /** Forgets every entry. */
  clear(): void {
    this.states.clear();
  }
}
