/** Starting and stopping grpc-js servers, with the credentials and access rules of the process. */
import * as grpc from '@grpc/grpc-js';
import type { SecurityConfig } from '../security/security-config.ts';
import { authorizationInterceptor, CallerResolver, serverCredentials, type CallerRule } from './grpc-security.ts';
import { GRPC_CHANNEL_OPTIONS } from './proto.ts';

/** Binds a server on host:port (0 = any free port) with the process's credentials and resolves with the bound port. */
export function bindServer(server: grpc.Server, host: string, port: number, security: SecurityConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, serverCredentials(security), (error, bound) => {
      if (error) reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
      else resolve(bound);
    });
  });
}

/**
 * Creates a server with the shared channel options that refuses, before reading a message, every
 * call that `rules` (method path → who may call) does not allow; no rules are checked in insecure
 * mode.
 */
export function createGrpcServer(security: SecurityConfig, rules: ReadonlyMap<string, CallerRule>): grpc.Server {
  if (security.mode === 'insecure') return new grpc.Server(GRPC_CHANNEL_OPTIONS);
  return new grpc.Server({ ...GRPC_CHANNEL_OPTIONS, interceptors: [authorizationInterceptor(new CallerResolver(security), rules)] });
}

/** The access rules of a service, one per method, keyed by the method's path. */
export function serviceRules<Methods extends string>(service: grpc.ServiceDefinition, rules: Readonly<Record<Methods, CallerRule>>): Map<string, CallerRule> {
  const byPath = new Map<string, CallerRule>();
  for (const [name, method] of Object.entries(service)) {
    const rule = (rules as Record<string, CallerRule | undefined>)[name];
    if (!rule) throw new Error(`${method.path} has no access rule`);
    byPath.set(method.path, rule);
  }
  return byPath;
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
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
  toError: (error: unknown) => Partial<grpc.ServiceError>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toError(error) as grpc.ServiceError),
    );
  };
}
