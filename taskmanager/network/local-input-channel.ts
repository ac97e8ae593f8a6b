/** An input channel whose producer runs in the same TaskManager: batches pass by reference. */
import type { PartitionManager } from './partition-manager.ts';
import { InputChannel, type ChannelListener } from './input-channel.ts';
import type { Subpartition } from './result-partition.ts';
import { errorMessage } from '../../common/errors.ts';

/** Reads a subpartition of a local result partition. */
export class LocalInputChannel extends InputChannel {
  private subpartition: Subpartition | undefined;
  private readonly abort = new AbortController();

  constructor(
    index: number,
    inputIndex: number,
    listener: ChannelListener,
    initialCredit: number,
    private readonly partitions: PartitionManager,
    private readonly partitionKey: string,
    private readonly subpartitionIndex: number,
  ) {
    super(index, inputIndex, `local channel from ${partitionKey}[${subpartitionIndex}]`, listener, initialCredit);
  }

  start(): void {
    this.partitions.lookup(this.partitionKey, this.abort.signal).then(
      (partition) => {
        const sub = partition.subpartitions[this.subpartitionIndex];
        if (!sub) return this.fail(`producer has no subpartition ${this.subpartitionIndex}`);
        try {
          sub.attach(this);
        } catch (error) {
          return this.fail(errorMessage(error));
        }
        this.subpartition = sub;
        sub.addCredit(this.initialCredit);
      },
      (error: unknown) => {
        if (!this.abort.signal.aborted) this.fail(errorMessage(error));
      },
    );
  }

  protected grantCredit(n: number): void {
    this.subpartition?.addCredit(n);
  }

  close(): void {
    this.abort.abort();
    if (this.subpartition && !this.finished) this.subpartition.release();
    this.subpartition = undefined;
  }
}
