// Original file: checkpoint.proto

import type { KeyedStateHandle as _sluice_checkpoint_KeyedStateHandle, KeyedStateHandle__Output as _sluice_checkpoint_KeyedStateHandle__Output } from '../../sluice/checkpoint/KeyedStateHandle';
import type { OperatorListState as _sluice_checkpoint_OperatorListState, OperatorListState__Output as _sluice_checkpoint_OperatorListState__Output } from '../../sluice/checkpoint/OperatorListState';

export interface OperatorSubtaskState {
  'operatorId'?: (string);
  'subtask'?: (number);
  'keyed'?: (_sluice_checkpoint_KeyedStateHandle | null);
  'operatorState'?: ({[key: string]: _sluice_checkpoint_OperatorListState});
}

export interface OperatorSubtaskState__Output {
  'operatorId': (string);
  'subtask': (number);
  'keyed': (_sluice_checkpoint_KeyedStateHandle__Output | null);
  'operatorState': ({[key: string]: _sluice_checkpoint_OperatorListState__Output});
}
