/**
 * List state: the whole list of a key and namespace is one value. `get()` returns a copy, so that
 * changing it cannot silently change the state; `add` appends to the cached array in place.
 */
import type { ListStateDescriptor } from '../../client/runtime.ts';
import { AbstractMergingKvState, type StateContext } from './abstract-kv-state.ts';
import type { InternalListState } from './keyed-state-backend.ts';

/** See the module comment. */
export class InternalListStateImpl<T> extends AbstractMergingKvState implements InternalListState<T> {
  constructor(context: StateContext, id: number, descriptor: ListStateDescriptor<T>) {
    super(context, id, descriptor.name, descriptor.ttl);
  }

  get(): T[] {
    const list = this.read(this.entry()) as T[] | undefined;
    return list === undefined ? [] : list.slice();
  }

  add(value: T): void {
    const entry = this.entry();
    const list = this.read(entry) as T[] | undefined;
    if (list === undefined) {
      this.store(entry, [value]);
    } else {
      list.push(value);
      this.store(entry, list);
    }
  }

  addAll(values: readonly T[]): void {
    if (values.length === 0) return;
    const entry = this.entry();
    const list = this.read(entry) as T[] | undefined;
    if (list === undefined) {
      this.store(entry, values.slice());
    } else {
      for (const value of values) list.push(value);
      this.store(entry, list);
    }
  }

  /** Replaces the list with a copy of `values`; an empty list clears the state. */
  update(values: readonly T[]): void {
    this.storeBlind(values.length === 0 ? undefined : values.slice());
  }

  protected mergeValues(a: unknown, b: unknown): unknown {
    const list = a as unknown[];
    for (const value of b as unknown[]) list.push(value);
    return list;
  }
}
