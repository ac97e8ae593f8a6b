// Original file: control.proto

import type { CompletedCheckpointInfo as _sluice_control_CompletedCheckpointInfo, CompletedCheckpointInfo__Output as _sluice_control_CompletedCheckpointInfo__Output } from '../../sluice/control/CompletedCheckpointInfo';

export interface CheckpointCounts {
  'completed'?: (number);
  'failed'?: (number);
  'inProgress'?: (number);
  'latest'?: (_sluice_control_CompletedCheckpointInfo | null);
}

export interface CheckpointCounts__Output {
  'completed': (number);
  'failed': (number);
  'inProgress': (number);
  'latest': (_sluice_control_CompletedCheckpointInfo__Output | null);
}
