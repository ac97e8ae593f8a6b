// Original file: checkpoint.proto

import type { OperatorSubtaskState as _sluice_checkpoint_OperatorSubtaskState, OperatorSubtaskState__Output as _sluice_checkpoint_OperatorSubtaskState__Output } from '../../sluice/checkpoint/OperatorSubtaskState';

export interface OperatorCheckpointState {
  'operatorId'?: (string);
  'parallelism'?: (number);
  'maxParallelism'?: (number);
  'subtasks'?: (_sluice_checkpoint_OperatorSubtaskState)[];
}

export interface OperatorCheckpointState__Output {
  'operatorId': (string);
  'parallelism': (number);
  'maxParallelism': (number);
  'subtasks': (_sluice_checkpoint_OperatorSubtaskState__Output)[];
}
