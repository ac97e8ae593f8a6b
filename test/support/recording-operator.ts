/**
 * A stream operator for task tests: it passes records and watermarks on to its output, and
 * records what the task did to it (lifecycle calls, records with their input, snapshots and
 * commits). Its operator state is the number of records it processed. It can be told to fail on
 * a record.
 */
import type { OperatorStateSnapshot, Output, StreamOperator } from '../../taskmanager/operators/stream-operator.ts';

/** One record the operator processed. */
export interface ProcessedRecord {
  readonly value: unknown;
  readonly timestamp: number;
  readonly input: number;
}

/** See the module comment. */
export class RecordingOperator implements StreamOperator {
  /** Lifecycle and checkpoint calls in order: `open`, `watermark:<w>`, `snapshot:<id>`, `complete:<id>`, `held`, `finish`, `close`. */
  readonly calls: string[] = [];
  readonly records: ProcessedRecord[] = [];
  /** When set, processing a record for which it returns true throws. */
  failOn: ((value: unknown) => boolean) | undefined;

  constructor(private readonly output: Output) {}

  async open(): Promise<void> {
    this.calls.push('open');
  }

  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    if (this.failOn?.(record)) throw new Error(`the recording operator was told to fail on ${JSON.stringify(record)}`);
    this.records.push({ value: record, timestamp, input: inputIndex });
    this.output.collect(record, timestamp);
  }

  processWatermark(watermark: number): void {
    this.calls.push(`watermark:${watermark}`);
    this.output.emitWatermark(watermark);
  }

  emitHeldRecords(): void {
    this.calls.push('held');
  }

  snapshotState(checkpointId: number): OperatorStateSnapshot {
    this.calls.push(`snapshot:${checkpointId}`);
    return { processed: { mode: 'split', entries: [this.records.length] } };
  }

  notifyCheckpointComplete(checkpointId: number): void {
    this.calls.push(`complete:${checkpointId}`);
  }

  async finish(): Promise<void> {
    this.calls.push('finish');
  }

  async close(): Promise<void> {
    this.calls.push('close');
  }

  /** The values processed, in order. */
  values(): unknown[] {
    return this.records.map((r) => r.value);
  }
}
