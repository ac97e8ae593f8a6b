/** What travels on one channel, in order: batches of records and in-band events. */

/** An in-band event. */
export type ChannelEventKind = 'END_OF_INPUT' | 'WATERMARK' | 'BARRIER' | 'IDLE';

/**
 * One unit of a channel: a batch (decoded records or encoded bytes) or an event. A batch's
 * `timestamps`, when present, holds one entry per record: the record's timestamp, or
 * `WATERMARK_SLOT` where the "record" is a watermark value (see common/time.ts).
 */
export type ChannelMessage =
  | { readonly type: 'records'; readonly records: unknown[]; readonly timestamps: number[] | undefined }
  | { readonly type: 'encoded'; readonly bytes: Uint8Array; readonly count: number; readonly timestamps: Float64Array | undefined }
  | {
      readonly type: 'event';
      readonly kind: ChannelEventKind;
      readonly timestamp: number;
      readonly checkpointId: number;
      /** Barriers of savepoints: the directory their state goes to. */
      readonly savepointRoot?: string;
      /** Barriers: write full keyed state rather than a delta. */
      readonly full?: boolean;
    };

/** The end-of-input event, shared since it carries nothing. */
export const END_OF_INPUT: ChannelMessage = { type: 'event', kind: 'END_OF_INPUT', timestamp: 0, checkpointId: 0 };

/** The idle event, shared since it carries nothing. */
export const IDLE: ChannelMessage = { type: 'event', kind: 'IDLE', timestamp: 0, checkpointId: 0 };

/** Receives the messages of a subpartition, one per credit. */
export interface SubpartitionReader {
  send(message: ChannelMessage): void;
  /** The producer failed or was cancelled; the consumer must stop waiting. */
  fail(reason: string): void;
}
