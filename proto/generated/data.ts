import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CheckpointBarrier as _sluice_checkpoint_CheckpointBarrier, CheckpointBarrier__Output as _sluice_checkpoint_CheckpointBarrier__Output } from './sluice/checkpoint/CheckpointBarrier';
import type { CheckpointMetadata as _sluice_checkpoint_CheckpointMetadata, CheckpointMetadata__Output as _sluice_checkpoint_CheckpointMetadata__Output } from './sluice/checkpoint/CheckpointMetadata';
import type { KeyGroupRange as _sluice_checkpoint_KeyGroupRange, KeyGroupRange__Output as _sluice_checkpoint_KeyGroupRange__Output } from './sluice/checkpoint/KeyGroupRange';
import type { KeyedStateFile as _sluice_checkpoint_KeyedStateFile, KeyedStateFile__Output as _sluice_checkpoint_KeyedStateFile__Output } from './sluice/checkpoint/KeyedStateFile';
import type { KeyedStateHandle as _sluice_checkpoint_KeyedStateHandle, KeyedStateHandle__Output as _sluice_checkpoint_KeyedStateHandle__Output } from './sluice/checkpoint/KeyedStateHandle';
import type { OperatorCheckpointState as _sluice_checkpoint_OperatorCheckpointState, OperatorCheckpointState__Output as _sluice_checkpoint_OperatorCheckpointState__Output } from './sluice/checkpoint/OperatorCheckpointState';
import type { OperatorListState as _sluice_checkpoint_OperatorListState, OperatorListState__Output as _sluice_checkpoint_OperatorListState__Output } from './sluice/checkpoint/OperatorListState';
import type { OperatorRestoreState as _sluice_checkpoint_OperatorRestoreState, OperatorRestoreState__Output as _sluice_checkpoint_OperatorRestoreState__Output } from './sluice/checkpoint/OperatorRestoreState';
import type { OperatorSubtaskState as _sluice_checkpoint_OperatorSubtaskState, OperatorSubtaskState__Output as _sluice_checkpoint_OperatorSubtaskState__Output } from './sluice/checkpoint/OperatorSubtaskState';
import type { TaskRestore as _sluice_checkpoint_TaskRestore, TaskRestore__Output as _sluice_checkpoint_TaskRestore__Output } from './sluice/checkpoint/TaskRestore';
import type { ChannelEvent as _sluice_data_ChannelEvent, ChannelEvent__Output as _sluice_data_ChannelEvent__Output } from './sluice/data/ChannelEvent';
import type { ChannelMessage as _sluice_data_ChannelMessage, ChannelMessage__Output as _sluice_data_ChannelMessage__Output } from './sluice/data/ChannelMessage';
import type { ConsumerMessage as _sluice_data_ConsumerMessage, ConsumerMessage__Output as _sluice_data_ConsumerMessage__Output } from './sluice/data/ConsumerMessage';
import type { DataExchangeClient as _sluice_data_DataExchangeClient, DataExchangeDefinition as _sluice_data_DataExchangeDefinition } from './sluice/data/DataExchange';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sluice: {
    checkpoint: {
      CheckpointBarrier: MessageTypeDefinition<_sluice_checkpoint_CheckpointBarrier, _sluice_checkpoint_CheckpointBarrier__Output>
      CheckpointMetadata: MessageTypeDefinition<_sluice_checkpoint_CheckpointMetadata, _sluice_checkpoint_CheckpointMetadata__Output>
      KeyGroupRange: MessageTypeDefinition<_sluice_checkpoint_KeyGroupRange, _sluice_checkpoint_KeyGroupRange__Output>
      KeyedStateFile: MessageTypeDefinition<_sluice_checkpoint_KeyedStateFile, _sluice_checkpoint_KeyedStateFile__Output>
      KeyedStateFileKind: EnumTypeDefinition
      KeyedStateHandle: MessageTypeDefinition<_sluice_checkpoint_KeyedStateHandle, _sluice_checkpoint_KeyedStateHandle__Output>
      OperatorCheckpointState: MessageTypeDefinition<_sluice_checkpoint_OperatorCheckpointState, _sluice_checkpoint_OperatorCheckpointState__Output>
      OperatorListState: MessageTypeDefinition<_sluice_checkpoint_OperatorListState, _sluice_checkpoint_OperatorListState__Output>
      OperatorRestoreState: MessageTypeDefinition<_sluice_checkpoint_OperatorRestoreState, _sluice_checkpoint_OperatorRestoreState__Output>
      OperatorStateMode: EnumTypeDefinition
      OperatorSubtaskState: MessageTypeDefinition<_sluice_checkpoint_OperatorSubtaskState, _sluice_checkpoint_OperatorSubtaskState__Output>
      TaskRestore: MessageTypeDefinition<_sluice_checkpoint_TaskRestore, _sluice_checkpoint_TaskRestore__Output>
    }
    data: {
      ChannelEvent: MessageTypeDefinition<_sluice_data_ChannelEvent, _sluice_data_ChannelEvent__Output>
      ChannelMessage: MessageTypeDefinition<_sluice_data_ChannelMessage, _sluice_data_ChannelMessage__Output>
      ConsumerMessage: MessageTypeDefinition<_sluice_data_ConsumerMessage, _sluice_data_ConsumerMessage__Output>
      DataExchange: SubtypeConstructor<typeof grpc.Client, _sluice_data_DataExchangeClient> & { service: _sluice_data_DataExchangeDefinition }
    }
  }
}

