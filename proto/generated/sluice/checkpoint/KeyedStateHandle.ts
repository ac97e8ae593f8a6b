// Original file: checkpoint.proto

import type { KeyGroupRange as _sluice_checkpoint_KeyGroupRange, KeyGroupRange__Output as _sluice_checkpoint_KeyGroupRange__Output } from '../../sluice/checkpoint/KeyGroupRange';
import type { KeyedStateFile as _sluice_checkpoint_KeyedStateFile, KeyedStateFile__Output as _sluice_checkpoint_KeyedStateFile__Output } from '../../sluice/checkpoint/KeyedStateFile';

export interface KeyedStateHandle {
  'keyGroupRange'?: (_sluice_checkpoint_KeyGroupRange | null);
  'files'?: (_sluice_checkpoint_KeyedStateFile)[];
}

export interface KeyedStateHandle__Output {
  'keyGroupRange': (_sluice_checkpoint_KeyGroupRange__Output | null);
  'files': (_sluice_checkpoint_KeyedStateFile__Output)[];
}
