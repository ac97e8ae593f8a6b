// Original file: control.proto

import type { Long } from '@grpc/proto-loader';

export interface NotifyCheckpointRequest {
  'jobId'?: (string);
  'checkpointId'?: (number | string | Long);
  'completed'?: (boolean);
  'attempt'?: (number);
}

export interface NotifyCheckpointRequest__Output {
  'jobId': (string);
  'checkpointId': (number);
  'completed': (boolean);
  'attempt': (number);
}
