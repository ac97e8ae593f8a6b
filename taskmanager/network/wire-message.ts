/** Conversion between channel messages and their protobuf form on the data plane. */
import type { ChannelMessage as WireMessage, ChannelMessageInput as WireMessageInput } from '../../common/rpc/index.ts';
import type { RecordCodec } from '../../common/codec.ts';
import { END_OF_INPUT, type ChannelMessage } from './channel-message.ts';

/** Encodes a message for the wire; records are encoded with the channel's codec. */
export function toWire(message: ChannelMessage, codec: RecordCodec): WireMessageInput {
  switch (message.type) {
    case 'records':
      return { records: codec.encodeBatch(message.records), count: message.records.length };
    case 'encoded':
      return { records: message.bytes, count: message.count };
    case 'event':
      return { event: { kind: message.kind, timestamp: message.timestamp, checkpointId: message.checkpointId } };
  }
}

/** Decodes a wire message; record bytes stay encoded until the task takes them. */
export function fromWire(wire: WireMessage): ChannelMessage {
  const event = wire.event;
  if (event) {
    if (event.kind === 'END_OF_INPUT') return END_OF_INPUT;
    return { type: 'event', kind: event.kind, timestamp: event.timestamp, checkpointId: event.checkpointId };
  }
  return { type: 'encoded', bytes: wire.records, count: wire.count };
}
