/**
 * Loads the wire contracts in `proto/` for grpc-js. The loader options must match the ones the
 * types in `proto/generated` were generated with (see scripts/gen-proto.ts).
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType as ControlProto } from '../../proto/generated/control.ts';
import type { ProtoGrpcType as DataProto } from '../../proto/generated/data.ts';

const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

/** Loader options shared by the runtime and the type generator. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};

function load<T>(file: string): T {
  const definition = protoLoader.loadSync(file, PROTO_LOADER_OPTIONS);
  return grpc.loadPackageDefinition(definition) as unknown as T;
}

/** The control plane package (`sluice.control`). */
export const controlProto: ControlProto = load<ControlProto>('control.proto');
/** The data plane package (`sluice.data`). */
export const dataProto: DataProto = load<DataProto>('data.proto');

/** Channel options used by every Sluice gRPC client and server. */
export const GRPC_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': 256 * 1024 * 1024,
  'grpc.max_send_message_length': 256 * 1024 * 1024,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
};
