// Original file: checkpoint.proto

import type { OperatorCheckpointState as _sluice_checkpoint_OperatorCheckpointState, OperatorCheckpointState__Output as _sluice_checkpoint_OperatorCheckpointState__Output } from '../../sluice/checkpoint/OperatorCheckpointState';
import type { Long } from '@grpc/proto-loader';

export interface CheckpointMetadata {
  'jobId'?: (string);
  'checkpointId'?: (number | string | Long);
  'isSavepoint'?: (boolean);
  'triggeredAt'?: (number | string);
  'completedAt'?: (number | string);
  'sizeBytes'?: (number | string | Long);
  'incrementalBytes'?: (number | string | Long);
  'root'?: (string);
  'operators'?: (_sluice_checkpoint_OperatorCheckpointState)[];
}

export interface CheckpointMetadata__Output {
  'jobId': (string);
  'checkpointId': (number);
  'isSavepoint': (boolean);
  'triggeredAt': (number);
  'completedAt': (number);
  'sizeBytes': (number);
  'incrementalBytes': (number);
  'root': (string);
  'operators': (_sluice_checkpoint_OperatorCheckpointState__Output)[];
}
