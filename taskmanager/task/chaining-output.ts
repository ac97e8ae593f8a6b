/** The edge from one operator of a chain to the next: a plain synchronous call (Flink's ChainingOutput). */
import type { StreamOperator } from '../operators/stream-operator.ts';
import type { EdgeOutput } from './broadcasting-output.ts';

/** Hands records and watermarks to the chained operator, on its logical input `inputIndex`. */
export class ChainingOutput implements EdgeOutput {
  constructor(
    private readonly operator: StreamOperator,
    private readonly inputIndex: number,
  ) {}

  collect(record: unknown, timestamp: number): void {
    this.operator.processElement(record, timestamp, this.inputIndex);
  }

  emitWatermark(watermark: number): void {
    this.operator.processWatermark(watermark);
  }
}
