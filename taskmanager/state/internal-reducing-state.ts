/** Reducing state: one value per key and namespace, folded with the descriptor's reduce function. */
import type { ReduceFunction, ReducingStateDescriptor } from '../../client/runtime.ts';
import { AbstractMergingKvState, type StateContext } from './abstract-kv-state.ts';
import type { InternalReducingState } from './keyed-state-backend.ts';

/** See the module comment. Merging namespaces reduces target first, then the sources in order. */
export class InternalReducingStateImpl<T> extends AbstractMergingKvState implements InternalReducingState<T> {
  private readonly reduce: ReduceFunction<T>;

  constructor(context: StateContext, id: number, descriptor: ReducingStateDescriptor<T>) {
    super(context, id, descriptor.name, descriptor.ttl);
    this.reduce = descriptor.reduce;
  }

  get(): T | undefined {
    return this.read(this.entry()) as T | undefined;
  }

  add(value: T): void {
    const entry = this.entry();
    const current = this.read(entry) as T | undefined;
    this.store(entry, current === undefined ? value : this.reduce(current, value));
  }

  protected mergeValues(a: unknown, b: unknown): unknown {
    return this.reduce(a as T, b as T);
  }
}
