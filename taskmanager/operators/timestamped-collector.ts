/** The collector handed to user functions: it stamps what they emit with the current timestamp. */
import type { Collector } from '../../client/runtime.ts';
import type { Output } from './stream-operator.ts';

/**
 * Emits to an operator's main output with the timestamp of the record (or timer) being handled,
 * as Flink does, so event time flows through process functions unchanged.
 */
export class TimestampedCollector<T = unknown> implements Collector<T> {
  /** Timestamp given to emitted records; set before each user call. */
  timestamp = Number.NEGATIVE_INFINITY;

  constructor(private readonly output: Output) {}

  collect(record: T): void {
    this.output.collect(record, this.timestamp);
  }
}
