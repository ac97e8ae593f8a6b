/** Starting and stopping grpc-js servers with the process's credentials and access rules, and serving unary methods. */
import * as grpc from '@grpc/grpc-js';
import { errorMessage, invalidArgument } from '../errors.ts';
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

/** What the deserializer of a unary method yields for bytes that are no valid request. */
class UndecodableRequest {
  constructor(
    readonly method: string,
    readonly cause: unknown,
  ) {}
}

/**
 * The service with each unary method's deserializer catching decode failures, so that
 * `unaryHandler` answers them INVALID_ARGUMENT (grpc-js itself would answer INTERNAL).
 */
function withDecodeFailures(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const wrap = (name: string, method: grpc.MethodDefinition<unknown, unknown>): grpc.MethodDefinition<unknown, unknown> => {
    if (method.requestStream) return method;
    const decode = method.requestDeserialize;
    return {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch (error) {
          return new UndecodableRequest(name, error);
        }
      },
    };
  };
  return Object.fromEntries(Object.entries(service).map(([name, method]) => [name, wrap(name, method)]));
}

/** A grpc-js server whose unary methods answer undecodable requests INVALID_ARGUMENT. */
class SluiceServer extends grpc.Server {
  override addService(service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
    super.addService(withDecodeFailures(service), implementation);
  }
}

/**
 * Creates a server with the shared channel options (overridden by `options`) that refuses, before
 * reading a message, every call that `rules` (method path → who may call) does not allow; no
 * rules are checked in insecure mode. Its unary methods must be served through `unaryHandler`,
 * which answers requests that do not decode.
 */
export function createGrpcServer(security: SecurityConfig, rules: ReadonlyMap<string, CallerRule>, options: grpc.ChannelOptions = {}): grpc.Server {
  const channelOptions = { ...GRPC_CHANNEL_OPTIONS, ...options };
  if (security.mode === 'insecure') return new SluiceServer(channelOptions);
  return new SluiceServer({ ...channelOptions, interceptors: [authorizationInterceptor(new CallerResolver(security), rules)] });
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

/**
 * Adapts an async handler to a grpc-js unary handler, mapping errors to status codes. A request
 * that did not decode gets INVALID_ARGUMENT naming the method, without reaching the handler.
 */
export function unaryHandler<Req, Res>(
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
  toError: (error: unknown) => Partial<grpc.ServiceError>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const request: unknown = call.request;
    const fail = (error: unknown): void => callback(toError(error) as grpc.ServiceError);
    if (request instanceof UndecodableRequest) {
      fail(invalidArgument(`${request.method}: the request is not a valid protobuf message: ${errorMessage(request.cause)}`));
      return;
    }
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then((response) => callback(null, response), fail);
  };
}
