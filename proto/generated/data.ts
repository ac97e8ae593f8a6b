import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CheckpointBarrier as _sluice_checkpoint_CheckpointBarrier, CheckpointBarrier__Output as _sluice_checkpoint_CheckpointBarrier__Output } from './sluice/checkpoint/CheckpointBarrier';
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
    }
    data: {
      ChannelEvent: MessageTypeDefinition<_sluice_data_ChannelEvent, _sluice_data_ChannelEvent__Output>
      ChannelMessage: MessageTypeDefinition<_sluice_data_ChannelMessage, _sluice_data_ChannelMessage__Output>
      ConsumerMessage: MessageTypeDefinition<_sluice_data_ConsumerMessage, _sluice_data_ConsumerMessage__Output>
      DataExchange: SubtypeConstructor<typeof grpc.Client, _sluice_data_DataExchangeClient> & { service: _sluice_data_DataExchangeDefinition }
    }
  }
}

