// Original file: checkpoint.proto

import type { OperatorRestoreState as _sluice_checkpoint_OperatorRestoreState, OperatorRestoreState__Output as _sluice_checkpoint_OperatorRestoreState__Output } from '../../sluice/checkpoint/OperatorRestoreState';
import type { Long } from '@grpc/proto-loader';

export interface TaskRestore {
  'checkpointId'?: (number | string | Long);
  'root'?: (string);
  'operators'?: (_sluice_checkpoint_OperatorRestoreState)[];
}

export interface TaskRestore__Output {
  'checkpointId': (number);
  'root': (string);
  'operators': (_sluice_checkpoint_OperatorRestoreState__Output)[];
}
