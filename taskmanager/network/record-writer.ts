/** Writes the records of one outgoing job edge into its result partition. */
import type { ChannelSelector } from './partitioners.ts';
import type { ResultPartition, Subpartition } from './result-partition.ts';

/** Routes records to subpartitions by a channel selector. */
export class RecordWriter {
  private readonly subpartitions: Subpartition[];
  private readonly forwardTarget: Subpartition | undefined;

  constructor(
    readonly partition: ResultPartition,
    private readonly selector: ChannelSelector,
    forward: boolean,
  ) {
    this.subpartitions = partition.subpartitions;
    this.forwardTarget = forward ? partition.subpartitions[0] : undefined;
  }

  /** Emits one record with its timestamp. */
  emit(record: unknown, timestamp: number): void {
    if (this.forwardTarget) {
      this.forwardTarget.add(record, timestamp);
      return;
    }
    const channel = this.selector.select(record);
    if (channel >= 0) {
      this.subpartitions[channel]!.add(record, timestamp);
      return;
    }
    for (const s of this.subpartitions) s.add(record, timestamp);
  }

  /** Passes a watermark on to every consumer. */
  emitWatermark(watermark: number): void {
    this.partition.emitWatermark(watermark);
  }
}
