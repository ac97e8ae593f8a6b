/**
 * The one-input record-at-a-time operators: map, filter and flatMap. On a keyed stream they set
 * the current key per record, so their functions may use keyed state through the runtime context.
 */
import type { Collector, FilterFunction, FlatMapFunction, MapFunction } from '../../client/runtime.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import { TimestampedCollector } from './timestamped-collector.ts';

/** Applies a MapFunction. */
export class MapOperator extends AbstractStreamOperator {
  constructor(
    setup: UserOperatorSetup,
    private readonly fn: MapFunction<unknown, unknown>,
  ) {
    super(setup, [fn]);
  }
  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    if (this.keyed) this.setKeyContext(record, inputIndex);
    this.output.collect(this.fn(record, this.context), timestamp);
  }
}

/** Applies a FilterFunction. */
export class FilterOperator extends AbstractStreamOperator {
  constructor(
    setup: UserOperatorSetup,
    private readonly fn: FilterFunction<unknown>,
  ) {
    super(setup, [fn]);
  }
  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    if (this.keyed) this.setKeyContext(record, inputIndex);
    if (this.fn(record, this.context)) this.output.collect(record, timestamp);
  }
}

/** Applies a FlatMapFunction, handing it a collector that keeps the input's timestamp. */
export class FlatMapOperator extends AbstractStreamOperator {
  private readonly collector: TimestampedCollector;
  constructor(
    setup: UserOperatorSetup,
    private readonly fn: FlatMapFunction<unknown, unknown>,
  ) {
    super(setup, [fn]);
    this.collector = new TimestampedCollector(this.output);
  }
  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    if (this.keyed) this.setKeyContext(record, inputIndex);
    this.collector.timestamp = timestamp;
    this.fn(record, this.collector as Collector<unknown>, this.context);
  }
}
