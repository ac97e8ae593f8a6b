/**
 * Mutual TLS and the cluster token over real gRPC on loopback: who gets through the
 * authorization interceptor, with which status the others are refused, and what a handler learns
 * of its caller.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, authorizationInterceptor, callerOf, CallerResolver, channelCredentials, clientChannelOptions, serverCredentials, type CallerRule } from '../../../common/rpc/grpc-security.ts';
import { createClusterCa, issueCertificate, type ClusterCa, type PemCertificate } from '../../../common/security/certificates.ts';
import type { ClusterRole } from '../../../common/security/cluster-identity.ts';
import type { SecurityConfig } from '../../../common/security/security-config.ts';

const TOKEN = 'a-cluster-token-of-32-characters';
const raw = (b: Buffer): Buffer => b;
function method(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return { path, requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw };
}
const SERVICE = { forClients: method('/test.Secured/ForClients'), forTaskManagers: method('/test.Secured/ForTaskManagers'), unruled: method('/test.Secured/Unruled') };
const RULES = new Map<string, CallerRule>([
  ['/test.Secured/ForClients', ['token', 'client']],
  ['/test.Secured/ForTaskManagers', ['taskmanager']],
]);
const Client = grpc.makeGenericClientConstructor(SERVICE, 'Secured');

let ca: ClusterCa;
let jobManager: PemCertificate;
let taskManager: PemCertificate;
let foreign: PemCertificate;
let server: grpc.Server;
let port: number;
const clients: grpc.Client[] = [];

function tls(identity?: PemCertificate, token?: string, caPem = ca.cert): SecurityConfig {
  return { mode: 'tls', ca: Buffer.from(caPem), identity: identity && { cert: Buffer.from(identity.cert), key: Buffer.from(identity.key) }, token };
}

function call(security: SecurityConfig, name: keyof typeof SERVICE, expect: ClusterRole = 'jobmanager'): Promise<string> {
  const client = new Client(`127.0.0.1:${port}`, channelCredentials(security, expect), clientChannelOptions(security));
  clients.push(client);
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, grpc.requestCallback<Buffer> extends never ? never : (req: Buffer, opts: grpc.CallOptions, cb: grpc.requestCallback<Buffer>) => void>)[name]!(Buffer.alloc(0), { deadline: Date.now() + 10_000 }, (error, reply) => (error ? reject(error) : resolve(reply!.toString())));
  });
}

beforeAll(async () => {
  ca = await createClusterCa();
  jobManager = await issueCertificate(ca, { role: 'jobmanager' });
  taskManager = await issueCertificate(ca, { role: 'taskmanager', id: 'tm-1' });
  foreign = await issueCertificate(await createClusterCa({ name: 'someone else' }), { role: 'taskmanager', id: 'tm-1' });
  const security = tls(jobManager, TOKEN);
  const resolver = new CallerResolver(security);
  server = new grpc.Server({ interceptors: [authorizationInterceptor(resolver, RULES)] });
  const answer: grpc.handleUnaryCall<Buffer, Buffer> = (c, done) => {
    const caller = callerOf(resolver, c);
    done(null, Buffer.from(caller.kind === 'peer' ? JSON.stringify(caller.identity) : caller.kind));
  };
  server.addService(SERVICE, { forClients: answer, forTaskManagers: answer, unruled: answer });
  port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', serverCredentials(security), (e, p) => (e ? reject(e) : resolve(p))));
});

afterAll(() => {
  for (const c of clients) c.close();
  server?.forceShutdown();
});

describe('gRPC security', () => {
  it('lets a client with the cluster token call client methods, and nothing else', async () => {
    await expect(call(tls(undefined, TOKEN), 'forClients')).resolves.toBe('token');
    await expect(call(tls(undefined, TOKEN), 'forTaskManagers')).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: '/test.Secured/ForTaskManagers is not for a client with the cluster token' });
  });

  it('refuses a caller without credentials or with a wrong token as UNAUTHENTICATED', async () => {
    await expect(call(tls(), 'forClients')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: '/test.Secured/ForClients: no client certificate of this cluster and no token' });
    await expect(call(tls(undefined, 'not-the-cluster-token-at-all'), 'forClients')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: '/test.Secured/ForClients: the token is not this cluster’s' });
  });

  it('tells a handler which TaskManager its certificate names', async () => {
    await expect(call(tls(taskManager), 'forTaskManagers')).resolves.toBe(JSON.stringify({ role: 'taskmanager', id: 'tm-1' }));
    await expect(call(tls(taskManager), 'forClients')).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
  });

  it('takes a certificate of another CA for no identity at all', async () => {
    await expect(call(tls(foreign), 'forTaskManagers')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('refuses a method that has no rule, whoever calls', async () => {
    await expect(call(tls(taskManager, TOKEN), 'unruled')).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: '/test.Secured/Unruled has no access rule' });
  });

  it('does not connect a plaintext client, nor a client that expects another role of the server', async () => {
    await expect(call({ mode: 'insecure' }, 'forClients')).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await expect(call(tls(undefined, TOKEN), 'forClients', 'taskmanager')).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: expect.stringContaining('not the taskmanager') });
  });

  it('lets everyone through in insecure mode, and no one anonymous otherwise', () => {
    expect(allows(['taskmanager'], { kind: 'insecure' })).toBe(true);
    expect(allows(['token', 'client', 'jobmanager', 'taskmanager'], { kind: 'anonymous', reason: 'x' })).toBe(false);
  });
});
