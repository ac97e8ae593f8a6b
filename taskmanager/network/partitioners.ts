/**
 * Channel selection for the four partitionings. `select` runs once per record and must not
 * allocate: it returns a channel index, or -1 for "every channel" (broadcast).
 */
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from '../../common/key-groups.ts';
import type { KeyValue } from '../../common/key-groups.ts';

/** Picks the target channel of a record. */
export interface ChannelSelector {
  /** A channel index in [0, channels), or -1 to send to all channels. */
  select(record: unknown): number;
}

/** Keeps records on the subtask with the same index. */
export class ForwardSelector implements ChannelSelector {
  select(): number {
    return 0;
  }
}

/** Cycles through the channels, starting at a per-producer offset so producers do not align. */
export class RebalanceSelector implements ChannelSelector {
  private next: number;
  constructor(
    private readonly channels: number,
    start: number,
  ) {
    this.next = start % channels;
  }
  select(): number {
    const c = this.next;
    this.next = c + 1 === this.channels ? 0 : c + 1;
    return c;
  }
}

/** Sends each record to every channel. */
export class BroadcastSelector implements ChannelSelector {
  select(): number {
    return -1;
  }
}

/** Routes by key group: the Flink formulas over the target's max parallelism. */
export class KeyGroupSelector implements ChannelSelector {
  constructor(
    private readonly keySelector: (record: unknown) => KeyValue,
    private readonly channels: number,
    private readonly maxParallelism: number,
  ) {}
  select(record: unknown): number {
    const keyGroup = assignToKeyGroup(this.keySelector(record), this.maxParallelism);
    return computeOperatorIndexForKeyGroup(this.maxParallelism, this.channels, keyGroup);
  }
}
