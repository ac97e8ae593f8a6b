// Original file: control.proto

import type { Long } from '@grpc/proto-loader';

export interface DeclineCheckpointRequest {
  'jobId'?: (string);
  'executionId'?: (string);
  'checkpointId'?: (number | string | Long);
  'reason'?: (string);
}

export interface DeclineCheckpointRequest__Output {
  'jobId': (string);
  'executionId': (string);
  'checkpointId': (number);
  'reason': (string);
}
