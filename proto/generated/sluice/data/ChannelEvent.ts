// Original file: data.proto

import type { Long } from '@grpc/proto-loader';

// Original file: data.proto

export const _sluice_data_ChannelEvent_Kind = {
  END_OF_INPUT: 'END_OF_INPUT',
  WATERMARK: 'WATERMARK',
  BARRIER: 'BARRIER',
  IDLE: 'IDLE',
} as const;

export type _sluice_data_ChannelEvent_Kind =
  | 'END_OF_INPUT'
  | 0
  | 'WATERMARK'
  | 1
  | 'BARRIER'
  | 2
  | 'IDLE'
  | 3

export type _sluice_data_ChannelEvent_Kind__Output = typeof _sluice_data_ChannelEvent_Kind[keyof typeof _sluice_data_ChannelEvent_Kind]

export interface ChannelEvent {
  'kind'?: (_sluice_data_ChannelEvent_Kind);
  'timestamp'?: (number | string);
  'checkpointId'?: (number | string | Long);
  'savepointRoot'?: (string);
  'full'?: (boolean);
}

export interface ChannelEvent__Output {
  'kind': (_sluice_data_ChannelEvent_Kind__Output);
  'timestamp': (number);
  'checkpointId': (number);
  'savepointRoot': (string);
  'full': (boolean);
}
