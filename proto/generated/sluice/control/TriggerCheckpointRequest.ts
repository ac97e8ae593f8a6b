// Original file: control.proto

import type { Long } from '@grpc/proto-loader';

export interface TriggerCheckpointRequest {
  'jobId'?: (string);
  'executionId'?: (string);
  'checkpointId'?: (number | string | Long);
  'timestamp'?: (number | string);
  'savepointRoot'?: (string);
  'full'?: (boolean);
  'final'?: (boolean);
}

export interface TriggerCheckpointRequest__Output {
  'jobId': (string);
  'executionId': (string);
  'checkpointId': (number);
  'timestamp': (number);
  'savepointRoot': (string);
  'full': (boolean);
  'final': (boolean);
}
