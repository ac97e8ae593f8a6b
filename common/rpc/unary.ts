/** Promise wrapper for grpc-js unary calls, with a deadline. */
import type * as grpc from '@grpc/grpc-js';

/** A grpc-js unary method bound to its client. */
type UnaryMethod<Req, Res> = (request: Req, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response?: Res) => void) => grpc.ClientUnaryCall;

/** Calls a unary method and resolves with its response. */
export function callUnary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, timeoutMs: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, { deadline: Date.now() + timeoutMs }, (error, response) => {
      if (error) reject(error);
      else resolve(response as Res);
    });
  });
}
