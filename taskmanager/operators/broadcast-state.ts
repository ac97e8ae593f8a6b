/**
 * Broadcast state: operator state of the broadcast state pattern. Each subtask keeps one in-memory
 * map per declared descriptor; every subtask receives every broadcast record, so the copies agree.
 * The broadcast side writes through BroadcastStateMap; the other side reads through a view whose
 * mutators throw.
 */
import type { BroadcastState, MapStateDescriptor, MapStateKey, ReadOnlyBroadcastState } from '../../client/runtime.ts';

/** The entries of every broadcast state of a subtask, by descriptor name, for checkpoints. */
export type BroadcastStateSnapshot = Record<string, [MapStateKey, unknown][]>;

/** One broadcast state, writable. */
export class BroadcastStateMap<K extends MapStateKey, V> implements BroadcastState<K, V> {
  /** @internal The entries; replaced wholesale on restore. */
  readonly map = new Map<K, V>();

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  contains(key: K): boolean {
    return this.map.has(key);
  }

  entries(): [K, V][] {
    return Array.from(this.map);
  }

  keys(): K[] {
    return Array.from(this.map.keys());
  }

  values(): V[] {
    return Array.from(this.map.values());
  }

  size(): number {
    return this.map.size;
  }

  put(key: K, value: V): void {
    this.map.set(key, value);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [key, value] of entries) this.map.set(key, value);
  }

  remove(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}

/**
 * A read-only view of a broadcast state, for the non-broadcast side. Its mutators exist only to
 * fail loudly when a function casts the view to BroadcastState.
 */
export class ReadOnlyBroadcastStateView<K extends MapStateKey, V> implements ReadOnlyBroadcastState<K, V> {
  constructor(
    private readonly state: BroadcastStateMap<K, V>,
    private readonly name: string,
  ) {}

  get(key: K): V | undefined {
    return this.state.get(key);
  }

  contains(key: K): boolean {
    return this.state.contains(key);
  }

  entries(): [K, V][] {
    return this.state.entries();
  }

  keys(): K[] {
    return this.state.keys();
  }

  values(): V[] {
    return this.state.values();
  }

  size(): number {
    return this.state.size();
  }

  put(): never {
    throw this.readOnly('put');
  }

  putAll(): never {
    throw this.readOnly('putAll');
  }

  remove(): never {
    throw this.readOnly('remove');
  }

  clear(): never {
    throw this.readOnly('clear');
  }

  private readOnly(method: string): Error {
    return new Error(`broadcast state "${this.name}" is read-only in processElement (${method}); change it in processBroadcastElement`);
  }
}

/** The broadcast states of one operator subtask, restricted to the descriptors declared in `broadcast(...)`. */
export class BroadcastStateStore {
  private readonly states = new Map<string, BroadcastStateMap<MapStateKey, unknown>>();
  private readonly views = new Map<string, ReadOnlyBroadcastStateView<MapStateKey, unknown>>();
  private readonly names: ReadonlySet<string>;

  constructor(
    descriptors: readonly MapStateDescriptor<MapStateKey, unknown>[],
    private readonly operatorName: string,
  ) {
    this.names = new Set(descriptors.map((d) => d.name));
    for (const name of this.names) this.states.set(name, new BroadcastStateMap());
  }

  /** The writable state of a declared descriptor. */
  writable<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    return this.declared(descriptor.name) as unknown as BroadcastState<K, V>;
  }

  /** The read-only view of a declared descriptor. */
  readOnly<K extends MapStateKey, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    let view = this.views.get(descriptor.name);
    if (!view) {
      view = new ReadOnlyBroadcastStateView(this.declared(descriptor.name), descriptor.name);
      this.views.set(descriptor.name, view);
    }
    return view as unknown as ReadOnlyBroadcastState<K, V>;
  }

  /** Copies the entries of every state (values are shared, not cloned). */
  snapshot(): BroadcastStateSnapshot {
    const out: BroadcastStateSnapshot = {};
    for (const [name, state] of this.states) out[name] = state.entries();
    return out;
  }

  /**
   * Replaces every state's entries with a snapshot's. States the snapshot names but this operator
   * no longer declares are kept, so that they survive the next snapshot.
   */
  restore(snapshot: BroadcastStateSnapshot): void {
    for (const state of this.states.values()) state.clear();
    for (const [name, entries] of Object.entries(snapshot)) {
      let state = this.states.get(name);
      if (!state) {
        state = new BroadcastStateMap();
        this.states.set(name, state);
      }
      state.putAll(entries);
    }
  }

  private declared(name: string): BroadcastStateMap<MapStateKey, unknown> {
    const state = this.states.get(name);
    if (!state || !this.names.has(name)) {
      throw new Error(`${this.operatorName}: broadcast state "${name}" was not declared; pass its descriptor to broadcast(...)`);
    }
    return state;
  }
}
