/** What travels on one channel, in order: batches of records and in-band events. */
import type { CheckpointBarrier } from '../../common/rpc/index.ts';

/** An in-band event, by kind. */
export type ChannelEvent =
  | { readonly type: 'event'; readonly kind: 'END_OF_INPUT' }
  | { readonly type: 'event'; readonly kind: 'IDLE' }
  | { readonly type: 'event'; readonly kind: 'WATERMARK'; readonly timestamp: number }
  | { readonly type: 'event'; readonly kind: 'BARRIER'; readonly barrier: CheckpointBarrier };

/**
 * One unit of a channel: a batch (decoded records or encoded bytes) or an event. A batch's
 * `timestamps`, when present, holds one entry per record: the record's timestamp, or
 * `WATERMARK_SLOT` where the "record" is a watermark value (see common/time.ts).
 */
export type ChannelMessage =
  | { readonly type: 'records'; readonly records: unknown[]; readonly timestamps: number[] | undefined }
  | { readonly type: 'encoded'; readonly bytes: Uint8Array; readonly count: number; readonly timestamps: Float64Array | undefined }
  | ChannelEvent;

/** The end-of-input event, shared since it carries nothing. */
export const END_OF_INPUT: ChannelMessage = { type: 'event', kind: 'END_OF_INPUT' };

/** The idle event, shared since it carries nothing. */
export const IDLE: ChannelMessage = { type: 'event', kind: 'IDLE' };

/** Receives the messages of a subpartition, one per credit. */
export interface SubpartitionReader {
  send(message: ChannelMessage): void;
  /** The producer failed or was cancelled; the consumer must stop waiting. */
  fail(reason: string): void;
}
