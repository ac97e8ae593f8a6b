/**
 * Event-time constants shared by the API and the runtime. Timestamps and watermarks are epoch
 * milliseconds held in plain numbers, so the per-record path never boxes or allocates for them.
 */

/** The timestamp of a record that has none (no watermark strategy assigned one). */
export const NO_TIMESTAMP = Number.NEGATIVE_INFINITY;

/** The watermark before any was seen. */
export const MIN_WATERMARK = Number.NEGATIVE_INFINITY;

/** The watermark at end of input: it fires every event-time timer and closes every window. */
export const MAX_WATERMARK = Number.POSITIVE_INFINITY;

/**
 * In a batch's timestamp array, this marks a watermark slot: the record at that position is the
 * watermark's value. It keeps watermarks in order with records without sealing the batch.
 */
export const WATERMARK_SLOT = Number.NaN;

/** Whether a timestamp-array entry marks a watermark slot. */
export function isWatermarkSlot(timestamp: number): boolean {
  return timestamp !== timestamp;
}
