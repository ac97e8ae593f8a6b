/**
 * The output an operator of a chain writes to: it fans each record out to the edge outputs of the
 * operator's main output or of one side output (Flink's BroadcastingOutputCollector), and every
 * watermark to all of them.
 */
import type { Logger } from '../../common/logging.ts';
import type { Output } from '../operators/stream-operator.ts';

/**
 * One outgoing edge of an operator: the input of a chained operator (ChainingOutput) or a
 * network record writer (RecordWriterOutput).
 */
export interface EdgeOutput {
  /** Hands one record with its timestamp (NO_TIMESTAMP for none) to the edge. */
  collect(record: unknown, timestamp: number): void;
  /** Passes a watermark on along the edge. */
  emitWatermark(watermark: number): void;
}

/** Fans records out to the edge outputs of the main output and of each side output. */
export class BroadcastingOutput implements Output {
  private readonly single: EdgeOutput | undefined;
  private readonly all: readonly EdgeOutput[];

  constructor(
    private readonly main: readonly EdgeOutput[],
    private readonly side: ReadonlyMap<string, readonly EdgeOutput[]>,
    private readonly log: Logger,
  ) {
    this.single = main.length === 1 ? main[0] : undefined;
    this.all = [...main, ...[...side.values()].flat()];
  }

  collect(record: unknown, timestamp: number): void {
    const single = this.single;
    if (single) {
      single.collect(record, timestamp);
      return;
    }
    const outputs = this.main;
    for (let i = 0; i < outputs.length; i++) outputs[i]!.collect(record, timestamp);
  }

  collectSide(tag: string, record: unknown, timestamp: number): void {
    const outputs = this.side.get(tag);
    if (!outputs || outputs.length === 0) {
      this.log.warn({ tag, record }, 'side output has no consumer; the record is logged here instead');
      return;
    }
    for (const o of outputs) o.collect(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const o of this.all) o.emitWatermark(watermark);
  }
}
