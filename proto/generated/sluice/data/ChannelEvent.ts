// Original file: data.proto

import type { CheckpointBarrier as _sluice_checkpoint_CheckpointBarrier, CheckpointBarrier__Output as _sluice_checkpoint_CheckpointBarrier__Output } from '../../sluice/checkpoint/CheckpointBarrier';

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
  'barrier'?: (_sluice_checkpoint_CheckpointBarrier | null);
}

export interface ChannelEvent__Output {
  'kind': (_sluice_data_ChannelEvent_Kind__Output);
  'timestamp': (number);
  'barrier': (_sluice_checkpoint_CheckpointBarrier__Output | null);
}
