/**
 * The split of a NATS source: one stream, or one subject of a partitioned stream.
 */
import type { SourceSplit } from '../../common/connector/source.ts';

/**
 * A stream (or one subject of it) read in stream-sequence order. JSON-serializable: it travels in
 * deployments and checkpoints, where `nextSeq` is the position.
 */
export interface NatsSplit extends SourceSplit {
  readonly stream: string;
  /** The subject filter of the consumer; absent for the whole stream. */
  readonly subject?: string;
  /** The stream sequence of the next message to read. Absent only while `startTime` decides. */
  readonly nextSeq?: number;
  /** Start at the first message stored at or after this time (ISO 8601), until one has been read. */
  readonly startTime?: string;
  /** Bounded reading: the last stream sequence present at the start; nothing after it is read. */
  readonly endSeq?: number;
  /** Every message up to `endSeq` was read: resuming reads nothing and only reports the end. */
  readonly finished?: boolean;
}
