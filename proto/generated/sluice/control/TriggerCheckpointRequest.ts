// Original file: control.proto

import type { CheckpointBarrier as _sluice_checkpoint_CheckpointBarrier, CheckpointBarrier__Output as _sluice_checkpoint_CheckpointBarrier__Output } from '../../sluice/checkpoint/CheckpointBarrier';

export interface TriggerCheckpointRequest {
  'jobId'?: (string);
  'executionId'?: (string);
  'barrier'?: (_sluice_checkpoint_CheckpointBarrier | null);
}

export interface TriggerCheckpointRequest__Output {
  'jobId': (string);
  'executionId': (string);
  'barrier': (_sluice_checkpoint_CheckpointBarrier__Output | null);
}
