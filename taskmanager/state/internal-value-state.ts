/**
 * Value state: one value per key and namespace. `value()` returns the cached object itself, as
 * Flink's heap backend does: mutating it without calling `update()` is undefined behaviour (the
 * change may or may not reach the database, and may be lost on eviction).
 */
import type { ValueStateDescriptor } from '../../client/runtime.ts';
import { AbstractKvState, type StateContext } from './abstract-kv-state.ts';
import type { InternalValueState } from './keyed-state-backend.ts';

/** See the module comment. */
export class InternalValueStateImpl<T> extends AbstractKvState implements InternalValueState<T> {
  private readonly defaultValue: T | undefined;

  constructor(context: StateContext, id: number, descriptor: ValueStateDescriptor<T>) {
    super(context, id, descriptor.name, descriptor.ttl);
    this.defaultValue = descriptor.options.defaultValue;
  }

  value(): T | undefined {
    const value = this.read(this.entry()) as T | undefined;
    return value === undefined ? this.defaultValue : value;
  }

  update(value: T | undefined): void {
    this.storeBlind(value);
  }
}
