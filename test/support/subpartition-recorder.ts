/**
 * The consumer end of a subpartition for task tests: it grants credit like an input channel and
 * records what the producer sent, batches unpacked into records and watermarks in their order.
 */
import { MIN_WATERMARK, NO_TIMESTAMP } from '../../common/time.ts';
import type { ChannelEvent, ChannelMessage, SubpartitionReader } from '../../taskmanager/network/channel-message.ts';
import type { Subpartition } from '../../taskmanager/network/result-partition.ts';

/** One unit a consumer received, in order. */
export type Received =
  | { readonly record: unknown; readonly timestamp: number }
  | { readonly watermark: number }
  /** `ACTIVE` is the status a task opens its channels with (a watermark event at the minimum). */
  | { readonly event: ChannelEvent['kind'] | 'ACTIVE'; readonly checkpointId?: number };

/** Records what one subpartition sends. */
export class SubpartitionRecorder implements SubpartitionReader {
  readonly received: Received[] = [];
  /** The failure the producer reported, if any. */
  failure: string | undefined;

  /** Attaches to `subpartition` and grants `credit` messages. */
  constructor(
    private readonly subpartition: Subpartition,
    credit: number,
  ) {
    subpartition.attach(this);
    subpartition.addCredit(credit);
  }

  /** Grants more credit. */
  grant(n: number): void {
    this.subpartition.addCredit(n);
  }

  send(message: ChannelMessage): void {
    if (message.type === 'records') {
      const { records, timestamps } = message;
      for (let i = 0; i < records.length; i++) {
        const t = timestamps === undefined ? NO_TIMESTAMP : timestamps[i]!;
        // A watermark slot's timestamp is WATERMARK_SLOT, NaN (common/time.ts).
        if (Number.isNaN(t)) this.received.push({ watermark: records[i] as number });
        else this.received.push({ record: records[i], timestamp: t });
      }
    } else if (message.type === 'event') {
      if (message.kind === 'BARRIER') this.received.push({ event: message.kind, checkpointId: message.barrier.checkpointId });
      else if (message.kind === 'WATERMARK' && message.timestamp === MIN_WATERMARK) this.received.push({ event: 'ACTIVE' });
      else this.received.push({ event: message.kind });
    } else {
      throw new Error('the recorder reads local subpartitions only; it got an encoded batch');
    }
  }

  fail(reason: string): void {
    this.failure = reason;
  }

  /** The record values received, in order. */
  values(): unknown[] {
    return this.received.flatMap((r) => ('record' in r ? [r.record] : []));
  }

  /** The watermarks received, in order. */
  watermarks(): number[] {
    return this.received.flatMap((r) => ('watermark' in r ? [r.watermark] : []));
  }

  /** The events received, in order, a barrier as `BARRIER:<id>`, the opening status as `ACTIVE`. */
  events(): string[] {
    return this.received.flatMap((r) => ('event' in r ? [r.checkpointId === undefined ? r.event : `${r.event}:${r.checkpointId}`] : []));
  }
}
