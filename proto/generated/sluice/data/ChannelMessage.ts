// Original file: data.proto

import type { ChannelEvent as _sluice_data_ChannelEvent, ChannelEvent__Output as _sluice_data_ChannelEvent__Output } from '../../sluice/data/ChannelEvent';

export interface ChannelMessage {
  'records'?: (Buffer | Uint8Array | string);
  'count'?: (number);
  'event'?: (_sluice_data_ChannelEvent | null);
  'timestamps'?: (Buffer | Uint8Array | string);
}

export interface ChannelMessage__Output {
  'records': (Buffer);
  'count': (number);
  'event': (_sluice_data_ChannelEvent__Output | null);
  'timestamps': (Buffer);
}
