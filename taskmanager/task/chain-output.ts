/** The output of one operator: its chained successors and network writers, per main and side output. */
import type { Logger } from '../../common/logging.ts';
import type { Output } from '../operators/stream-operator.ts';

/** One consumer of an operator's output: a chained operator's input or a network writer. */
export interface RecordTarget {
  push(record: unknown, timestamp: number): void;
  watermark(watermark: number): void;
}

/** Fans records out to the targets of the main output and of each side output. */
export class ChainOutput implements Output {
  private readonly single: RecordTarget | undefined;
  private readonly all: readonly RecordTarget[];

  constructor(
    private readonly main: readonly RecordTarget[],
    private readonly side: ReadonlyMap<string, readonly RecordTarget[]>,
    private readonly log: Logger,
  ) {
    this.single = main.length === 1 ? main[0] : undefined;
    this.all = [...main, ...[...side.values()].flat()];
  }

  collect(record: unknown, timestamp: number): void {
    const single = this.single;
    if (single) {
      single.push(record, timestamp);
      return;
    }
    const targets = this.main;
    for (let i = 0; i < targets.length; i++) targets[i]!.push(record, timestamp);
  }

  collectSide(tag: string, record: unknown, timestamp: number): void {
    const targets = this.side.get(tag);
    if (!targets || targets.length === 0) {
      this.log.warn({ tag, record }, 'side output has no consumer; the record is logged here instead');
      return;
    }
    for (const t of targets) t.push(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const t of this.all) t.watermark(watermark);
  }
}
