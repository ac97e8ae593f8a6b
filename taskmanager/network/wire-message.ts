/**
 * Conversion between channel messages and their protobuf form on the data plane. Decoding checks
 * everything a peer could get wrong, so that a malformed message fails its channel with a reason
 * (see `RemoteInputChannel`) instead of throwing inside a gRPC listener.
 */
import type { ChannelMessage as WireMessage, ChannelMessageInput as WireMessageInput } from '../../common/rpc/index.ts';
import type { RecordCodec } from '../../common/codec.ts';
import { END_OF_INPUT, IDLE, type ChannelMessage } from './channel-message.ts';

const EMPTY = new Uint8Array(0);

/** Encodes a message for the wire; records are encoded with the channel's codec. */
export function toWire(message: ChannelMessage, codec: RecordCodec): WireMessageInput {
  switch (message.type) {
    case 'records':
      return { records: codec.encodeBatch(message.records), count: message.records.length, timestamps: encodeTimestamps(message.timestamps) };
    case 'encoded':
      return { records: message.bytes, count: message.count, timestamps: message.timestamps ? new Uint8Array(message.timestamps.buffer, message.timestamps.byteOffset, message.timestamps.byteLength) : EMPTY };
    case 'event':
      switch (message.kind) {
        case 'BARRIER':
          return { event: { kind: 'BARRIER', barrier: message.barrier } };
        case 'WATERMARK':
          return { event: { kind: 'WATERMARK', timestamp: message.timestamp } };
        default:
          return { event: { kind: message.kind } };
      }
  }
}

/**
 * Decodes a wire message; record bytes stay encoded until the task takes them (`decodeRecords`).
 * Throws an Error naming the fault for a message no Sluice producer sends.
 */
export function fromWire(wire: WireMessage): ChannelMessage {
  const event = wire.event;
  if (event) {
    if (wire.records.length > 0 || wire.count > 0 || wire.timestamps.length > 0) throw new Error('a message carries both an event and records');
    switch (event.kind) {
      case 'END_OF_INPUT':
        return END_OF_INPUT;
      case 'IDLE':
        return IDLE;
      case 'WATERMARK':
        if (Number.isNaN(event.timestamp)) throw new Error('a watermark event carries no time (NaN)');
        return { type: 'event', kind: 'WATERMARK', timestamp: event.timestamp };
      case 'BARRIER': {
        const barrier = event.barrier;
        if (!barrier) throw new Error('a barrier event carries no barrier');
        if (!Number.isSafeInteger(barrier.checkpointId) || barrier.checkpointId < 1) throw new Error(`a barrier carries checkpoint id ${barrier.checkpointId}, not a positive integer`);
        if (!Number.isFinite(barrier.timestamp)) throw new Error(`a barrier carries timestamp ${barrier.timestamp}`);
        return { type: 'event', kind: 'BARRIER', barrier: { ...barrier, final: false } };
      }
      default:
        throw new Error(`unknown event kind ${String(event.kind)}`);
    }
  }
  return { type: 'encoded', bytes: wire.records, count: wire.count, timestamps: decodeTimestamps(wire.timestamps, wire.count) };
}

/**
 * Decodes the records of an encoded batch and checks them against what the batch declares: as
 * many records as its count, and a number wherever a timestamp marks a watermark slot.
 */
export function decodeRecords(message: ChannelMessage & { type: 'encoded' }, codec: RecordCodec): unknown[] {
  const records = codec.decodeBatch(message.bytes);
  if (records.length !== message.count) throw new Error(`a batch declares ${message.count} records and holds ${records.length}`);
  const timestamps = message.timestamps;
  if (timestamps) {
    for (let i = 0; i < timestamps.length; i++) {
      const t = timestamps[i]!;
      if (t !== t && typeof records[i] !== 'number') throw new Error(`record ${i} of a batch is marked a watermark but is not a number`);
    }
  }
  return records;
}

function encodeTimestamps(timestamps: number[] | undefined): Uint8Array {
  if (!timestamps) return EMPTY;
  const array = Float64Array.from(timestamps);
  return new Uint8Array(array.buffer);
}

function decodeTimestamps(bytes: Uint8Array, count: number): Float64Array | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes.length !== count * 8) throw new Error(`a batch of ${count} records carries ${bytes.length} timestamp bytes, not ${count * 8}`);
  // Copy into an aligned buffer: a network buffer's offset need not be a multiple of 8.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return new Float64Array(aligned.buffer);
}
