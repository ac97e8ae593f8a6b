/** The edge from an operator of a chain to the network: its job edge's record writer (Flink's RecordWriterOutput). */
import type { RecordWriter } from '../network/record-writer.ts';
import type { EdgeOutput } from './broadcasting-output.ts';
import type { TaskMetrics } from './task-metrics.ts';

/** Writes records and watermarks into a result partition, counting the records for the task's metrics. */
export class RecordWriterOutput implements EdgeOutput {
  constructor(
    private readonly writer: RecordWriter,
    private readonly metrics: TaskMetrics,
  ) {}

  collect(record: unknown, timestamp: number): void {
    this.metrics.recordsOut++;
    this.writer.emit(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.writer.emitWatermark(watermark);
  }
}
