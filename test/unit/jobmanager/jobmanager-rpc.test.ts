/**
 * The JobManager's gRPC service as a client sees it, on a real in-process JobManager: requests
 * without a field they need, with a malformed field, or that are no protobuf at all (raw bytes
 * through identity serializers) are INVALID_ARGUMENT naming the method and the field; a request
 * above `maxRequestBytes` is RESOURCE_EXHAUSTED; cancelling an ended job is FAILED_PRECONDITION;
 * and an error that is no Error is described, never "[object Object]". The JobManager runs mutual
 * TLS: user calls carry the cluster token, TaskManager calls a TaskManager certificate.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage, toServiceError } from '../../../common/errors.ts';
import { channelCredentials, clientChannelOptions } from '../../../common/rpc/grpc-security.ts';
import { controlProto } from '../../../common/rpc/proto.ts';
import { createClusterCa, issueCertificate, type PemCertificate } from '../../../common/security/certificates.ts';
import type { SecurityConfig } from '../../../common/security/security-config.ts';
import { callUnary } from '../../../common/rpc/unary.ts';
import type { JobGraph } from '../../../common/rpc/index.ts';
import { JobManager } from '../../../jobmanager/jobmanager.ts';
import type { JobManagerServiceClient } from '../../../proto/generated/sluice/control/JobManagerService.ts';

const SERVICE = '/sluice.control.JobManagerService';
let dir: string;
let jm: JobManager;
let client: JobManagerServiceClient;
let taskManager: JobManagerServiceClient;
let raw: grpc.Client;
let rawTaskManager: grpc.Client;

/** The methods only a TaskManager may call. */
const TASK_MANAGER_METHODS = new Set(['RegisterTaskManager', 'Heartbeat', 'UpdateTaskState', 'GetBundle', 'PushCollected', 'AcknowledgeCheckpoint', 'DeclineCheckpoint']);
const TOKEN = 'the-token-of-this-test-cluster';

function tls(ca: string, identity: PemCertificate | undefined, token: string | undefined): SecurityConfig {
  return { mode: 'tls', ca: Buffer.from(ca), identity: identity && { cert: Buffer.from(identity.cert), key: Buffer.from(identity.key) }, token };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-jm-rpc-'));
  const ca = await createClusterCa();
  const security = tls(ca.cert, await issueCertificate(ca, { role: 'jobmanager' }), TOKEN);
  jm = new JobManager({ port: 0, dataDir: dir, maxBundleBytes: 1024, maxRequestBytes: 64 * 1024, slotRequestTimeoutMs: 60_000, security });
  await jm.start();
  const address = `127.0.0.1:${jm.port}`;
  const user = tls(ca.cert, undefined, TOKEN);
  const tm = tls(ca.cert, await issueCertificate(ca, { role: 'taskmanager', id: 'tm-x' }), undefined);
  client = new controlProto.sluice.control.JobManagerService(address, channelCredentials(user, 'jobmanager'), clientChannelOptions(user));
  taskManager = new controlProto.sluice.control.JobManagerService(address, channelCredentials(tm, 'jobmanager'), clientChannelOptions(tm));
  raw = new grpc.Client(address, channelCredentials(user, 'jobmanager'), clientChannelOptions(user));
  rawTaskManager = new grpc.Client(address, channelCredentials(tm, 'jobmanager'), clientChannelOptions(tm));
});

afterAll(async () => {
  client?.close();
  taskManager?.close();
  raw?.close();
  rawTaskManager?.close();
  await jm?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Calls a method and resolves with the error it answers. */
async function failure(method: keyof JobManagerServiceClient & string, request: object): Promise<grpc.ServiceError> {
  const caller = TASK_MANAGER_METHODS.has(method) ? taskManager : client;
  const fn = (caller[method] as (...args: unknown[]) => grpc.ClientUnaryCall).bind(caller);
  try {
    await callUnary(fn as never, request, 10_000);
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error(`${method} succeeded`);
}

/** Sends raw bytes to a method (identity serializers) and resolves with the error it answers. */
function rawFailure(method: string, bytes: Buffer): Promise<grpc.ServiceError> {
  const caller = TASK_MANAGER_METHODS.has(method) ? rawTaskManager : raw;
  return new Promise((resolve, reject) => {
    caller.makeUnaryRequest(
      `${SERVICE}/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      { deadline: Date.now() + 10_000 },
      (error) => (error ? resolve(error) : reject(new Error(`${method} accepted garbage`))),
    );
  });
}

/** A varint that never ends: no message type decodes it. */
const GARBAGE = Buffer.from([0xff, 0xff, 0xff]);

function graph(): JobGraph {
  return {
    name: 'one',
    defaultParallelism: 1,
    args: {},
    vertices: [{ id: 'src', name: 'src', parallelism: 1, maxParallelism: 128, isSource: true, inputs: [], operators: [{ id: 'op', uid: '', name: 'src', kind: 'source' }] }],
  };
}

describe('JobManagerService input checks', () => {
  it('answers a SubmitJob without a graph with INVALID_ARGUMENT naming the field', async () => {
    const error = await failure('SubmitJob', { bundle: Buffer.from('x') });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe('SubmitJob: graph is missing');
  });

  it.each(['SubmitJob', 'RegisterTaskManager', 'CancelJob', 'UpdateTaskState', 'AcknowledgeCheckpoint'])('answers garbage protobuf to %s with INVALID_ARGUMENT', async (method) => {
    const error = await rawFailure(method, GARBAGE);
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toMatch(new RegExp(`^${method}: the request is not a valid protobuf message: .+`));
    expect(error.details).not.toContain('[object Object]');
  });

  it('answers bytes that decode to an empty request with INVALID_ARGUMENT naming the field', async () => {
    const error = await rawFailure('SubmitJob', Buffer.alloc(0));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe('SubmitJob: graph is missing');
  });

  it('answers RegisterTaskManager with 4294967295 slots with INVALID_ARGUMENT naming the limit', async () => {
    const error = await failure('RegisterTaskManager', { taskmanagerId: 'tm-x', address: '127.0.0.1:1', slots: 4294967295, metricsAddress: '' });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe("RegisterTaskManager: slots of TaskManager tm-x must be an integer from 1 to 256 (the JobManager's maxSlotsPerTaskManager), got 4294967295");
    expect(jm.slotPool.total).toBe(0);
  });

  it('answers missing ids and unknown states with INVALID_ARGUMENT, unknown jobs with NOT_FOUND', async () => {
    expect((await failure('CancelJob', {})).details).toBe('CancelJob: jobId is missing');
    expect((await failure('GetBundle', {})).details).toBe('GetBundle: jobId is missing');
    expect((await failure('Heartbeat', {})).details).toBe('Heartbeat: taskmanagerId is missing');
    const state = await failure('UpdateTaskState', { jobId: 'j', executionId: 'e', state: 'EXPLODED' });
    expect(state.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(state.details).toMatch(/^UpdateTaskState: state must be one of CREATED, .*, got "EXPLODED"$/);
    const unknown = await failure('GetJobStatus', { jobId: 'nope' });
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    expect(unknown.details).toBe('unknown job id nope');
  });

  it('answers a bundle above maxBundleBytes with INVALID_ARGUMENT and a request above maxRequestBytes with RESOURCE_EXHAUSTED', async () => {
    const large = await failure('SubmitJob', { graph: graph(), bundle: Buffer.alloc(2048, 1) });
    expect(large.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(large.details).toBe('SubmitJob: bundle too large: 2048 bytes, the limit is 1024 bytes (maxBundleBytes)');
    const huge = await failure('SubmitJob', { graph: graph(), bundle: Buffer.alloc(128 * 1024, 1) });
    expect(huge.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  it('answers cancelling a cancelled job with FAILED_PRECONDITION', async () => {
    const { jobId } = await callUnary<object, { jobId: string }>(client.SubmitJob.bind(client) as never, { graph: graph(), bundle: Buffer.from('x') }, 10_000);
    await callUnary(client.CancelJob.bind(client) as never, { jobId }, 10_000);
    const again = await failure('CancelJob', { jobId });
    expect(again.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(again.details).toBe(`job ${jobId} is already CANCELED`);
    const bundle = await failure('GetBundle', { jobId });
    expect(bundle.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(bundle.details).toBe(`job ${jobId} is CANCELED: its bundle was released when it ended`);
  });
});

describe('errorMessage', () => {
  it('describes values that are no Error', () => {
    expect(errorMessage({ code: 3, details: 'bad field' })).toBe('bad field');
    expect(errorMessage({ message: 'plain' })).toBe('plain');
    expect(errorMessage({ code: 13 })).toBe('{ code: 13 }');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(toServiceError({ some: 'thing' })).toMatchObject({ code: grpc.status.INTERNAL, details: "{ some: 'thing' }" });
  });
});
