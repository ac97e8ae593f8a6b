/** Conversion between channel messages and their protobuf form on the data plane. */
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

/** Decodes a wire message; record bytes stay encoded until the task takes them. */
export function fromWire(wire: WireMessage): ChannelMessage {
  const event = wire.event;
  if (event) {
    switch (event.kind) {
      case 'END_OF_INPUT':
        return END_OF_INPUT;
      case 'IDLE':
        return IDLE;
      case 'WATERMARK':
        return { type: 'event', kind: 'WATERMARK', timestamp: event.timestamp };
      case 'BARRIER':
        if (!event.barrier) throw new Error('a barrier event carries no barrier');
        return { type: 'event', kind: 'BARRIER', barrier: { ...event.barrier, final: false } };
    }
  }
  return { type: 'encoded', bytes: wire.records, count: wire.count, timestamps: decodeTimestamps(wire.timestamps, wire.count) };
}

function encodeTimestamps(timestamps: number[] | undefined): Uint8Array {
  if (!timestamps) return EMPTY;
  const array = Float64Array.from(timestamps);
  return new Uint8Array(array.buffer);
}

function decodeTimestamps(bytes: Uint8Array, count: number): Float64Array | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes.length !== count * 8) throw new Error(`batch of ${count} records carries ${bytes.length} timestamp bytes`);
  // Copy into an aligned buffer: a network buffer's offset need not be a multiple of 8.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return new Float64Array(aligned.buffer);
}
