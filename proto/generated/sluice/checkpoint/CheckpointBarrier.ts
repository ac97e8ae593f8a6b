// Original file: checkpoint.proto

import type { Long } from '@grpc/proto-loader';

export interface CheckpointBarrier {
  'checkpointId'?: (number | string | Long);
  'timestamp'?: (number | string);
  'savepointRoot'?: (string);
  'full'?: (boolean);
  'final'?: (boolean);
}

export interface CheckpointBarrier__Output {
  'checkpointId': (number);
  'timestamp': (number);
  'savepointRoot': (string);
  'full': (boolean);
  'final': (boolean);
}
