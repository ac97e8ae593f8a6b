/**
 * gRPC credentials and caller checks from a resolved SecurityConfig. Servers ask for a client
 * certificate but do not demand one at the TLS layer, so that one port serves both the cluster's
 * processes (verified certificates) and CLI clients (the cluster token); a server interceptor then
 * refuses, per method, every caller the method's rule does not name. Clients verify the server by
 * the role in its certificate, not by host name: any certificate of the cluster CA that names the
 * expected role is the right peer, wherever it runs.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { describeIdentity, identityOfAltNames, type ClusterIdentity, type ClusterRole } from '../security/cluster-identity.ts';
import type { SecurityConfig } from '../security/security-config.ts';
import { TokenCheck } from '../security/token-check.ts';
import { GRPC_CHANNEL_OPTIONS } from './proto.ts';

/** The metadata key of the cluster token. */
const AUTHORIZATION = 'authorization';
/** The TLS server name clients ask for (identity is checked by role, see above). */
const TARGET_NAME = 'sluice';

/** What grpc-js knows of a call's connection (its verified peer certificate). */
type AuthContext = ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getAuthContext']>;

/** Who made a call, as far as its credentials show. */
export type Caller =
  | { readonly kind: 'insecure' }
  | { readonly kind: 'peer'; readonly identity: ClusterIdentity }
  | { readonly kind: 'token' }
  | { readonly kind: 'anonymous'; readonly reason: string };

/** The method names of generated handlers, without grpc-js's index signature. */
export type MethodNames<Handlers> = keyof { [K in keyof Handlers as string extends K ? never : number extends K ? never : K]: Handlers[K] };

/** Who may call a method: roles proven by certificate, and `token` for a client with the cluster token. */
export type CallerRule = readonly (ClusterRole | 'token')[];

/**
 * Certificates that do not change, for grpc-js's certificate-provider credentials (the only server
 * credentials that request a client certificate without demanding one). grpc-js subscribes before
 * it registers its own watcher, so updates are delivered on the next microtask.
 */
class StaticCertificateProvider implements grpc.experimental.CertificateProvider {
  constructor(
    private readonly ca: Buffer,
    private readonly identity: { cert: Buffer; key: Buffer },
  ) {}
  addCaCertificateListener(listener: grpc.experimental.CaCertificateUpdateListener): void {
    queueMicrotask(() => listener({ caCertificate: this.ca }));
  }
  removeCaCertificateListener(): void {}
  addIdentityCertificateListener(listener: grpc.experimental.IdentityCertificateUpdateListener): void {
    queueMicrotask(() => listener({ certificate: this.identity.cert, privateKey: this.identity.key }));
  }
  removeIdentityCertificateListener(): void {}
}

/** Server credentials: TLS with this process's certificate, client certificates requested and verified. */
export function serverCredentials(security: SecurityConfig): grpc.ServerCredentials {
  if (security.mode === 'insecure') return grpc.ServerCredentials.createInsecure();
  if (!security.identity) throw new Error('a server needs its own certificate (--tls-cert, --tls-key)');
  const provider = new StaticCertificateProvider(security.ca, security.identity);
  return grpc.experimental.createCertificateProviderServerCredentials(provider, provider, false);
}

/** Channel credentials for calls to a peer of role `server`, with the token when one is configured. */
export function channelCredentials(security: SecurityConfig, server: ClusterRole): grpc.ChannelCredentials {
  if (security.mode === 'insecure') return grpc.credentials.createInsecure();
  const tls = grpc.credentials.createSsl(security.ca, security.identity?.key ?? null, security.identity?.cert ?? null, {
    checkServerIdentity: (_host, cert) => {
      const identity = identityOfAltNames(cert.subjectaltname);
      return identity?.role === server ? undefined : new Error(`the server's certificate names ${identity ? describeIdentity(identity) : 'no Sluice identity'}, not the ${server}`);
    },
  });
  const token = security.token;
  if (token === undefined) return tls;
  const bearer = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const metadata = new grpc.Metadata();
    metadata.set(AUTHORIZATION, `Bearer ${token}`);
    callback(null, metadata);
  });
  return grpc.credentials.combineChannelCredentials(tls, bearer);
}

/** The channel options of a client, with the TLS server name when TLS is on. */
export function clientChannelOptions(security: SecurityConfig): grpc.ChannelOptions {
  return security.mode === 'insecure' ? GRPC_CHANNEL_OPTIONS : { ...GRPC_CHANNEL_OPTIONS, 'grpc.ssl_target_name_override': TARGET_NAME };
}

/** The verified identity of a connection, if its certificate names one. */
function peerIdentity(authContext: AuthContext | null | undefined): ClusterIdentity | undefined {
  const cert = authContext?.sslPeerCertificate as PeerCertificate | undefined;
  return cert ? identityOfAltNames(cert.subjectaltname) : undefined;
}

/** Resolves who made a call from its connection and metadata. */
export class CallerResolver {
  private readonly token: TokenCheck | undefined;

  constructor(private readonly security: SecurityConfig) {
    this.token = security.mode === 'tls' && security.token !== undefined ? new TokenCheck(security.token) : undefined;
  }

  /** The caller of a call with this auth context and metadata. */
  resolve(authContext: AuthContext | null | undefined, metadata: grpc.Metadata | undefined): Caller {
    if (this.security.mode === 'insecure') return { kind: 'insecure' };
    const identity = peerIdentity(authContext);
    if (identity) return { kind: 'peer', identity };
    const header = metadata?.get(AUTHORIZATION)[0];
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return { kind: 'anonymous', reason: 'no client certificate of this cluster and no token' };
    if (!this.token?.acceptsBearer(header)) return { kind: 'anonymous', reason: 'the token is not this cluster’s' };
    return { kind: 'token' };
  }
}

/** Whether `caller` may make a call that `rule` governs. */
export function allows(rule: CallerRule, caller: Caller): boolean {
  switch (caller.kind) {
    case 'insecure':
      return true;
    case 'token':
      return rule.includes('token');
    case 'peer':
      return rule.includes(caller.identity.role);
    case 'anonymous':
      return false;
  }
}

function describeCaller(caller: Caller): string {
  if (caller.kind === 'peer') return describeIdentity(caller.identity);
  return caller.kind === 'token' ? 'a client with the cluster token' : 'an anonymous caller';
}

/**
 * A server interceptor that refuses every call its method's rule does not allow (UNAUTHENTICATED
 * without credentials, PERMISSION_DENIED for the wrong role) before a message is read. A method
 * without a rule is refused: a new RPC is closed until someone decides who may call it.
 */
export function authorizationInterceptor(resolver: CallerResolver, rules: ReadonlyMap<string, CallerRule>): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, mdNext) => {
            const caller = resolver.resolve(call.getAuthContext(), metadata);
            const rule = rules.get(method.path);
            if (rule && allows(rule, caller)) {
              mdNext(metadata);
              return;
            }
            const code = caller.kind === 'anonymous' ? grpc.status.UNAUTHENTICATED : grpc.status.PERMISSION_DENIED;
            const details = caller.kind === 'anonymous' ? `${method.path}: ${caller.reason}` : rule ? `${method.path} is not for ${describeCaller(caller)}` : `${method.path} has no access rule`;
            call.sendStatus({ code, details });
          },
        });
      },
    });
}

/** The caller of a call inside a handler, for checks that depend on the request (which TaskManager owns a task). */
export function callerOf(resolver: CallerResolver, call: { getAuthContext(): AuthContext; metadata: grpc.Metadata }): Caller {
  return resolver.resolve(call.getAuthContext(), call.metadata);
}

/**
 * Whether `caller` may speak for the TaskManager `taskManagerId`: only that TaskManager itself
 * (or anyone, in insecure mode). Registering, heartbeating and reporting under another id is how
 * a stranger would fail or hijack a live TaskManager's tasks.
 */
export function speaksFor(caller: Caller, taskManagerId: string): boolean {
  return caller.kind === 'insecure' || (caller.kind === 'peer' && caller.identity.role === 'taskmanager' && caller.identity.id === taskManagerId);
}
