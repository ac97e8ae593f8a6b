/**
 * The binary encoding of wire messages outside a gRPC call: the `_metadata` file of a checkpoint
 * and the job graphs of the JobManager's HA store. It converts exactly as grpc-js does (protobufjs
 * `fromObject` and `toObject` with the loader options of proto.ts), so a message reads back in
 * the shape proto/generated describes, the same as when it arrives over the network.
 */
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { CheckpointMetadata, CheckpointMetadata__Output } from '../../proto/generated/sluice/checkpoint/CheckpointMetadata.ts';
import type { JobGraph, JobGraph__Output } from '../../proto/generated/sluice/control/JobGraph.ts';
import { PROTO_LOADER_OPTIONS } from './proto.ts';

const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

/** Encodes one message type to bytes and decodes it back. */
export interface MessageCodec<In, Out> {
  encode(message: In): Uint8Array;
  /** Throws when the bytes are not a valid encoding of the message. */
  decode(bytes: Uint8Array): Out;
}

const root = loadRoot();

function loadRoot(): protobuf.Root {
  const loaded = new protobuf.Root();
  loaded.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(protoDir, target));
  loaded.loadSync(['checkpoint.proto', 'control.proto'], { keepCase: PROTO_LOADER_OPTIONS.keepCase });
  loaded.resolveAll();
  return loaded;
}

/** The codec of a message type, by its full name (`sluice.checkpoint.TaskRestore`). */
export function messageCodec<In extends object, Out>(typeName: string): MessageCodec<In, Out> {
  const type = root.lookupType(typeName);
  return {
    encode: (message) => type.encode(type.fromObject(message)).finish(),
    decode: (bytes) => type.toObject(type.decode(bytes), PROTO_LOADER_OPTIONS) as Out,
  };
}

/** The codec of `_metadata` files' content. */
export const checkpointMetadataCodec: MessageCodec<CheckpointMetadata, CheckpointMetadata__Output> = messageCodec('sluice.checkpoint.CheckpointMetadata');

/** The codec of job graphs as the HA store keeps them. */
export const jobGraphCodec: MessageCodec<JobGraph, JobGraph__Output> = messageCodec('sluice.control.JobGraph');
