/** One data-plane gRPC client per remote TaskManager address, shared by all channels to it. */
import * as grpc from '@grpc/grpc-js';
import { dataProto, GRPC_CHANNEL_OPTIONS } from '../../common/rpc/proto.ts';
import type { DataExchangeClient } from '../../proto/generated/sluice/data/DataExchange.ts';

/** Caches data-exchange clients by address. */
export class DataClientPool {
  private readonly clients = new Map<string, DataExchangeClient>();

  /** The client for a TaskManager address. */
  get(address: string): DataExchangeClient {
    let client = this.clients.get(address);
    if (!client) {
      client = new dataProto.sluice.data.DataExchange(address, grpc.credentials.createInsecure(), GRPC_CHANNEL_OPTIONS);
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
