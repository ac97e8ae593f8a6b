// Original file: data.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChannelMessage as _sluice_data_ChannelMessage, ChannelMessage__Output as _sluice_data_ChannelMessage__Output } from '../../sluice/data/ChannelMessage';
import type { ConsumerMessage as _sluice_data_ConsumerMessage, ConsumerMessage__Output as _sluice_data_ConsumerMessage__Output } from '../../sluice/data/ConsumerMessage';

export interface DataExchangeClient extends grpc.Client {
  Subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sluice_data_ConsumerMessage, _sluice_data_ChannelMessage__Output>;
  Subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sluice_data_ConsumerMessage, _sluice_data_ChannelMessage__Output>;
  subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sluice_data_ConsumerMessage, _sluice_data_ChannelMessage__Output>;
  subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sluice_data_ConsumerMessage, _sluice_data_ChannelMessage__Output>;
  
}

export interface DataExchangeHandlers extends grpc.UntypedServiceImplementation {
  Subscribe: grpc.handleBidiStreamingCall<_sluice_data_ConsumerMessage__Output, _sluice_data_ChannelMessage>;
  
}

export interface DataExchangeDefinition extends grpc.ServiceDefinition {
  Subscribe: MethodDefinition<_sluice_data_ConsumerMessage, _sluice_data_ChannelMessage, _sluice_data_ConsumerMessage__Output, _sluice_data_ChannelMessage__Output>
}
