// Original file: checkpoint.proto

import type { KeyedStateFileKind as _sluice_checkpoint_KeyedStateFileKind, KeyedStateFileKind__Output as _sluice_checkpoint_KeyedStateFileKind__Output } from '../../sluice/checkpoint/KeyedStateFileKind';
import type { Long } from '@grpc/proto-loader';

export interface KeyedStateFile {
  'path'?: (string);
  'kind'?: (_sluice_checkpoint_KeyedStateFileKind);
  'checkpointId'?: (number | string | Long);
  'bytes'?: (number | string | Long);
}

export interface KeyedStateFile__Output {
  'path': (string);
  'kind': (_sluice_checkpoint_KeyedStateFileKind__Output);
  'checkpointId': (number);
  'bytes': (number);
}
