// Original file: checkpoint.proto

import type { OperatorStateMode as _sluice_checkpoint_OperatorStateMode, OperatorStateMode__Output as _sluice_checkpoint_OperatorStateMode__Output } from '../../sluice/checkpoint/OperatorStateMode';

export interface OperatorListState {
  'mode'?: (_sluice_checkpoint_OperatorStateMode);
  'entries'?: (Buffer | Uint8Array | string)[];
}

export interface OperatorListState__Output {
  'mode': (_sluice_checkpoint_OperatorStateMode__Output);
  'entries': (Buffer)[];
}
