// Original file: control.proto

import type { OperatorSubtaskState as _sluice_checkpoint_OperatorSubtaskState, OperatorSubtaskState__Output as _sluice_checkpoint_OperatorSubtaskState__Output } from '../../sluice/checkpoint/OperatorSubtaskState';
import type { Long } from '@grpc/proto-loader';

export interface AcknowledgeCheckpointRequest {
  'jobId'?: (string);
  'executionId'?: (string);
  'checkpointId'?: (number | string | Long);
  'sizeBytes'?: (number | string);
  'incrementalBytes'?: (number | string);
  'states'?: (_sluice_checkpoint_OperatorSubtaskState)[];
}

export interface AcknowledgeCheckpointRequest__Output {
  'jobId': (string);
  'executionId': (string);
  'checkpointId': (number);
  'sizeBytes': (number);
  'incrementalBytes': (number);
  'states': (_sluice_checkpoint_OperatorSubtaskState__Output)[];
}
