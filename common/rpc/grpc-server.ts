/** Starting and stopping grpc-js servers. */
import * as grpc from '@grpc/grpc-js';
import { GRPC_CHANNEL_OPTIONS } from './proto.ts';

/** Binds a server on host:port (0 = any free port) and resolves with the bound port. */
export function bindServer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error) reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
      else resolve(bound);
    });
  });
}

/** Creates a server with the shared channel options. */
export function createGrpcServer(): grpc.Server {
  return new grpc.Server(GRPC_CHANNEL_OPTIONS);
}

/** Stops a server, forcibly after a grace period. */
export function stopServer(server: grpc.Server, graceMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Adapts an async handler to a grpc-js unary handler, mapping errors to status codes. */
export function unaryHandler<Req, Res>(
  handler: (request: Req) => Promise<Res>,
  toError: (error: unknown) => Partial<grpc.ServiceError>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toError(error) as grpc.ServiceError),
    );
  };
}
