/**
 * Aggregating state: an accumulator per key and namespace, built with the descriptor's aggregate
 * function and read out through its `getResult`. The accumulator is stored, so it must be
 * JSON-like data (see `state-value-codec.ts`).
 */
import type { AggregateFunction, AggregatingStateDescriptor } from '../../client/runtime.ts';
import { AbstractMergingKvState, type StateContext } from './abstract-kv-state.ts';
import type { InternalAggregatingState } from './keyed-state-backend.ts';

/** See the module comment. Merging namespaces merges target first, then the sources in order. */
export class InternalAggregatingStateImpl<IN, ACC, OUT>
  extends AbstractMergingKvState
  implements InternalAggregatingState<IN, OUT>
{
  private readonly aggregate: AggregateFunction<IN, ACC, OUT>;

  constructor(context: StateContext, id: number, descriptor: AggregatingStateDescriptor<IN, ACC, OUT>) {
    super(context, id, descriptor.name, descriptor.ttl);
    this.aggregate = descriptor.aggregate;
  }

  get(): OUT | undefined {
    const accumulator = this.read(this.entry()) as ACC | undefined;
    return accumulator === undefined ? undefined : this.aggregate.getResult(accumulator);
  }

  add(value: IN): void {
    const entry = this.entry();
    const current = this.read(entry) as ACC | undefined;
    this.store(entry, this.aggregate.add(value, current === undefined ? this.aggregate.createAccumulator() : current));
  }

  mergeAccumulator(accumulator: unknown): void {
    const entry = this.entry();
    const current = this.read(entry) as ACC | undefined;
    this.store(entry, current === undefined ? accumulator : this.aggregate.merge(current, accumulator as ACC));
  }

  protected mergeValues(a: unknown, b: unknown): unknown {
    return this.aggregate.merge(a as ACC, b as ACC);
  }
}
