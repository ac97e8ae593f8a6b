// Original file: checkpoint.proto

import type { KeyedStateHandle as _sluice_checkpoint_KeyedStateHandle, KeyedStateHandle__Output as _sluice_checkpoint_KeyedStateHandle__Output } from '../../sluice/checkpoint/KeyedStateHandle';
import type { OperatorListState as _sluice_checkpoint_OperatorListState, OperatorListState__Output as _sluice_checkpoint_OperatorListState__Output } from '../../sluice/checkpoint/OperatorListState';

export interface OperatorRestoreState {
  'operatorId'?: (string);
  'keyed'?: (_sluice_checkpoint_KeyedStateHandle)[];
  'operatorState'?: ({[key: string]: _sluice_checkpoint_OperatorListState});
}

export interface OperatorRestoreState__Output {
  'operatorId': (string);
  'keyed': (_sluice_checkpoint_KeyedStateHandle__Output)[];
  'operatorState': ({[key: string]: _sluice_checkpoint_OperatorListState__Output});
}
