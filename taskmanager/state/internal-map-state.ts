/**
 * Map state: the whole map of a key and namespace is one value, a JS Map in memory (so 1 and "1"
 * stay distinct keys, in insertion order) stored as a flat [k1, v1, k2, v2, ...] array.
 * `entries()`, `keys()` and `values()` return fresh arrays; the values themselves are the cached
 * objects (mutating one without `put` is undefined behaviour, as for value state). A map that
 * becomes empty is deleted.
 */
import type { MapStateDescriptor, MapStateKey } from '../../client/runtime.ts';
import { AbstractKvState, type StateContext } from './abstract-kv-state.ts';
import type { InternalMapState } from './keyed-state-backend.ts';

/** See the module comment. */
export class InternalMapStateImpl<K extends MapStateKey, V> extends AbstractKvState implements InternalMapState<K, V> {
  constructor(context: StateContext, id: number, descriptor: MapStateDescriptor<K, V>) {
    super(context, id, descriptor.name, descriptor.ttl);
  }

  private current(): Map<K, V> | undefined {
    return this.read(this.entry()) as Map<K, V> | undefined;
  }

  get(key: K): V | undefined {
    return this.current()?.get(key);
  }

  put(key: K, value: V): void {
    const entry = this.entry();
    const map = this.read(entry) as Map<K, V> | undefined;
    if (map === undefined) {
      this.store(entry, new Map([[key, value]]));
    } else {
      map.set(key, value);
      this.store(entry, map);
    }
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    const entry = this.entry();
    let map = this.read(entry) as Map<K, V> | undefined;
    let changed = false;
    try {
      for (const [key, value] of entries) {
        map ??= new Map();
        map.set(key, value);
        changed = true;
      }
    } finally {
      // Also when the iterable throws midway: what was put is in the cached map already.
      if (changed) this.store(entry, map);
    }
  }

  remove(key: K): void {
    const entry = this.entry();
    const map = this.read(entry) as Map<K, V> | undefined;
    if (map === undefined || !map.delete(key)) return;
    this.store(entry, map.size === 0 ? undefined : map);
  }

  contains(key: K): boolean {
    return this.current()?.has(key) ?? false;
  }

  entries(): [K, V][] {
    const map = this.current();
    return map === undefined ? [] : Array.from(map);
  }

  keys(): K[] {
    const map = this.current();
    return map === undefined ? [] : Array.from(map.keys());
  }

  values(): V[] {
    const map = this.current();
    return map === undefined ? [] : Array.from(map.values());
  }

  isEmpty(): boolean {
    return this.current() === undefined;
  }

  override toPlain(value: unknown): unknown {
    const map = value as Map<K, V>;
    const flat: unknown[] = new Array(map.size * 2);
    let i = 0;
    for (const [key, v] of map) {
      flat[i++] = key;
      flat[i++] = v;
    }
    return flat;
  }

  override fromPlain(plain: unknown): unknown {
    const flat = plain as unknown[];
    const map = new Map<unknown, unknown>();
    for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
    return map;
  }
}
