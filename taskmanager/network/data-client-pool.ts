/** One data-plane gRPC client per remote TaskManager address, shared by all channels to it. */
import type * as grpc from '@grpc/grpc-js';
import { channelCredentials, clientChannelOptions } from '../../common/rpc/grpc-security.ts';
import { dataProto } from '../../common/rpc/proto.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import type { DataExchangeClient } from '../../proto/generated/sluice/data/DataExchange.ts';

/** Caches data-exchange clients by address. */
export class DataClientPool {
  private readonly clients = new Map<string, DataExchangeClient>();
  private readonly credentials: grpc.ChannelCredentials;
  private readonly options: grpc.ChannelOptions;

  /** Clients present this TaskManager's certificate and expect a TaskManager's. */
  constructor(security: SecurityConfig) {
    this.credentials = channelCredentials(security, 'taskmanager');
    this.options = clientChannelOptions(security);
  }

  /** The client for a TaskManager address. */
  get(address: string): DataExchangeClient {
    let client = this.clients.get(address);
    if (!client) {
      client = new dataProto.sluice.data.DataExchange(address, this.credentials, this.options);
      this.clients.set(address, client);
    }
    return client;
  }

  /** Closes every client. */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
