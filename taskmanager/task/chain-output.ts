/** The output of one operator: its chained successors and network writers, per main and side output. */
import type { Logger } from '../../common/logging.ts';
import type { Output } from '../operators/stream-operator.ts';

/** A function that consumes one record. */
export type RecordTarget = (record: unknown) => void;

/** Fans records out to the targets of the main output and of each side output. */
export class ChainOutput implements Output {
  private readonly single: RecordTarget | undefined;

  constructor(
    private readonly main: readonly RecordTarget[],
    private readonly side: ReadonlyMap<string, readonly RecordTarget[]>,
    private readonly log: Logger,
  ) {
    this.single = main.length === 1 ? main[0] : undefined;
  }

  collect(record: unknown): void {
    const single = this.single;
    if (single) {
      single(record);
      return;
    }
    const targets = this.main;
    for (let i = 0; i < targets.length; i++) targets[i]!(record);
  }

  collectSide(tag: string, record: unknown): void {
    const targets = this.side.get(tag);
    if (!targets || targets.length === 0) {
      this.log.warn({ tag, record }, 'side output has no consumer; the record is logged here instead');
      return;
    }
    for (const t of targets) t(record);
  }
}
