// Original file: control.proto

import type { Long } from '@grpc/proto-loader';

export interface AcknowledgeCheckpointRequest {
  'jobId'?: (string);
  'executionId'?: (string);
  'checkpointId'?: (number | string | Long);
  'stateJson'?: (string);
  'sizeBytes'?: (number | string);
  'incrementalBytes'?: (number | string);
}

export interface AcknowledgeCheckpointRequest__Output {
  'jobId': (string);
  'executionId': (string);
  'checkpointId': (number);
  'stateJson': (string);
  'sizeBytes': (number);
  'incrementalBytes': (number);
}
