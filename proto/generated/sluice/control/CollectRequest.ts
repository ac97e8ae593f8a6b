// Original file: control.proto

import type { Long } from '@grpc/proto-loader';

export interface CollectRequest {
  'jobId'?: (string);
  'sinkId'?: (string);
  'fromOffset'?: (number | string | Long);
}

export interface CollectRequest__Output {
  'jobId': (string);
  'sinkId': (string);
  'fromOffset': (number);
}
