// Original file: control.proto

import type { Long } from '@grpc/proto-loader';

export interface CompletedCheckpointInfo {
  'id'?: (number | string | Long);
  'durationMs'?: (number | string);
  'sizeBytes'?: (number | string);
  'incrementalBytes'?: (number | string);
  'completedAt'?: (number | string);
  'path'?: (string);
  'savepoint'?: (boolean);
}

export interface CompletedCheckpointInfo__Output {
  'id': (number);
  'durationMs': (number);
  'sizeBytes': (number);
  'incrementalBytes': (number);
  'completedAt': (number);
  'path': (string);
  'savepoint': (boolean);
}
