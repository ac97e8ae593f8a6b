/**
 * The probes of a live cluster from outside, against a cluster that runs mutual TLS: each call a
 * stranger, a client with the token, or a TaskManager impersonating another makes is refused with
 * a status and a message that say why.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelCredentials, clientChannelOptions } from '../../common/rpc/grpc-security.ts';
import { controlProto, dataProto } from '../../common/rpc/proto.ts';
import { callUnary } from '../../common/rpc/unary.ts';
import { createClusterCa, issueCertificate } from '../../common/security/certificates.ts';
import type { ClusterRole } from '../../common/security/cluster-identity.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import { spawnSluice } from '../../client/local-cluster.ts';
import { credentialFlags } from '../../client/local-credentials.ts';
import { getUrl } from '../support/http-get.ts';
import { MiniCluster } from '../support/mini-cluster.ts';

let cluster: MiniCluster;
type TlsConfig = Extract<SecurityConfig, { mode: 'tls' }>;
let user: TlsConfig;
let anonymous: TlsConfig;
const clients: grpc.Client[] = [];

function jobManager(security: SecurityConfig): grpc.Client & Record<string, unknown> {
  const client = new controlProto.sluice.control.JobManagerService(cluster.address, channelCredentials(security, 'jobmanager'), clientChannelOptions(security));
  clients.push(client);
  return client as unknown as grpc.Client & Record<string, unknown>;
}

function taskManager(security: SecurityConfig, expect: ClusterRole = 'taskmanager'): grpc.Client & Record<string, unknown> {
  const address = `127.0.0.1:${cluster.taskManagers[0]!.ready.port}`;
  const client = new controlProto.sluice.control.TaskManagerService(address, channelCredentials(security, expect), clientChannelOptions(security));
  clients.push(client);
  return client as unknown as grpc.Client & Record<string, unknown>;
}

function call(client: grpc.Client & Record<string, unknown>, method: string, request: object): Promise<unknown> {
  const fn = client[method] as (req: object, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: unknown) => void) => grpc.ClientUnaryCall;
  return callUnary(fn.bind(client), request, 10_000);
}

beforeAll(async () => {
  cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 1, taskManagerMetrics: true });
  const security = cluster.local.clientSecurity;
  if (security.mode !== 'tls') throw new Error('the test cluster must run TLS');
  user = security;
  anonymous = { ...user, token: undefined };
});

afterAll(async () => {
  for (const c of clients) c.close();
  await cluster?.stop();
});

describe('a cluster with mutual TLS', () => {
  it('refuses job calls without credentials, and answers them with the token', async () => {
    for (const [method, request] of [['ListJobs', {}], ['SubmitJob', {}], ['CancelJob', { jobId: 'x' }], ['GetJobStatus', { jobId: 'x' }]] as const) {
      await expect(call(jobManager(anonymous), method, request)).rejects.toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
        details: `/sluice.control.JobManagerService/${method}: no client certificate of this cluster and no token`,
      });
    }
    await expect(call(jobManager(user), 'ListJobs', {})).resolves.toMatchObject({ jobs: [] });
  });

  it('keeps the TaskManager calls from a client with the token: bundles, task states, registration', async () => {
    for (const [method, request] of [
      ['GetBundle', { jobId: 'x' }],
      ['UpdateTaskState', { jobId: 'x', executionId: 'y', state: 'FAILED', failure: 'forged' }],
      ['RegisterTaskManager', { taskmanagerId: 'tm-0', address: '127.0.0.1:1', slots: 4 }],
      ['AcknowledgeCheckpoint', { jobId: 'x', executionId: 'y', checkpointId: 1 }],
    ] as const) {
      await expect(call(jobManager(user), method, request)).rejects.toMatchObject({
        code: grpc.status.PERMISSION_DENIED,
        details: `/sluice.control.JobManagerService/${method} is not for a client with the cluster token`,
      });
    }
  });

  it('lets a TaskManager register and heartbeat only under the id its certificate names', async () => {
    const other = (await cluster.local.credentialsFor({ role: 'taskmanager', id: 'tm-intruder' }))!;
    await expect(call(jobManager(other), 'RegisterTaskManager', { taskmanagerId: 'tm-0', address: '127.0.0.1:1', slots: 4 })).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: "the certificate of this caller is not TaskManager tm-0's",
    });
    await expect(call(jobManager(other), 'Heartbeat', { taskmanagerId: 'tm-0', tasks: [] })).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    const status = await cluster.rest<{ taskmanagers: { id: string }[] }>('/taskmanagers');
    expect(status.taskmanagers.map((t) => t.id)).toEqual(['tm-0']);
  });

  it('takes reports on a running job only from the TaskManager its tasks run on', async () => {
    const jobId = await cluster.submit('test/jobs/datagen-keyed', 1, { rate: '200', out: 'print:' });
    const running = await cluster.waitForAllTasksRunning(jobId);
    const task = running.tasks[0]!;
    const peer = (await cluster.local.credentialsFor({ role: 'taskmanager', id: 'tm-peer' }))!;
    await expect(call(jobManager(peer), 'UpdateTaskState', { taskmanagerId: 'tm-peer', jobId, executionId: task.executionId, state: 'FAILED', failure: 'forged' })).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: `execution ${task.executionId} of job ${jobId} does not run on TaskManager tm-peer`,
    });
    await expect(call(jobManager(peer), 'DeclineCheckpoint', { jobId, executionId: task.executionId, checkpointId: 1, reason: 'forged' })).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    await expect(call(jobManager(peer), 'GetBundle', { jobId })).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: `job ${jobId} has no task on TaskManager tm-peer` });
    const after = await cluster.client.status(jobId);
    expect(after.state).toBe('RUNNING');
    expect(after.lastFailure).toBe('');
    await cluster.client.cancel(jobId);
    await cluster.waitForState(jobId, ['CANCELED']);
  });

  it('keeps savepoint directories and restore paths inside the savepoint roots', async () => {
    const jobId = await cluster.submit('test/jobs/datagen-keyed', 1, { rate: '200', out: 'print:' }, { settings: { checkpointIntervalMs: 200 } });
    await cluster.waitForAllTasksRunning(jobId);
    const outside = mkdtempSync(join(tmpdir(), 'sluice-outside-'));
    try {
      const root = join(cluster.local.dataDir, 'jobmanager', 'checkpoints', 'savepoints');
      mkdirSync(root, { recursive: true });
      symlinkSync(outside, join(root, 'escape'));
      for (const directory of ['../../../../../../tmp/x', outside, join(root, 'escape', 'sp')]) {
        await expect(cluster.client.savepoint(jobId, directory)).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: expect.stringMatching(/is outside the savepoint roots/) });
      }
      expect(readdirSync(outside)).toEqual([]);
      const restore = cluster.submit('test/jobs/datagen-keyed', 1, { rate: '200', out: 'print:' }, { restorePath: '/etc' });
      await expect(restore).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: expect.stringMatching(/^the restore path \/etc is outside the savepoint roots/) });
      await expect(cluster.client.savepoint(jobId, join(root, 'inside'))).resolves.toMatch(/inside/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
      await cluster.client.cancel(jobId);
      await cluster.waitForState(jobId, ['CANCELED']);
    }
  });

  it('stops a TaskManager the JobManager refuses, naming why', async () => {
    const files = (await cluster.local.credentialFilesFor({ role: 'taskmanager', id: 'tm-greedy' }))!;
    const args = ['taskmanager', '--jobmanager', cluster.address, '--slots', '1000', '--data-dir', join(cluster.local.dataDir, 'tm-greedy'), ...credentialFlags(files)];
    await expect(spawnSluice(args, 'ignore')).rejects.toThrow(
      /^sluice taskmanager exited before it was ready \(code 1, signal null\): the JobManager at 127\.0\.0\.1:\d+ refused this TaskManager: .*slots of TaskManager tm-greedy must be an integer from 1 to 256/,
    );
  });

  it('takes a TaskManager certificate of another CA for a stranger', async () => {
    const foreignCa = await createClusterCa({ name: 'not this cluster' });
    const forged = await issueCertificate(foreignCa, { role: 'taskmanager', id: 'tm-0' });
    const stranger: SecurityConfig = { mode: 'tls', ca: user.ca, identity: { cert: Buffer.from(forged.cert), key: Buffer.from(forged.key) }, token: undefined };
    await expect(call(jobManager(stranger), 'RegisterTaskManager', { taskmanagerId: 'tm-0', address: '127.0.0.1:1', slots: 1 })).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('takes deployments and cancellations at a TaskManager only from the JobManager', async () => {
    await expect(call(taskManager(user), 'CancelTask', { jobId: 'x', executionId: 'y' })).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: '/sluice.control.TaskManagerService/CancelTask is not for a client with the cluster token',
    });
    const peer = (await cluster.local.credentialsFor({ role: 'taskmanager', id: 'tm-peer' }))!;
    await expect(call(taskManager(peer), 'TriggerCheckpoint', { jobId: 'x', executionId: 'y' })).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
  });

  it('refuses a data-plane subscription from anyone but a TaskManager', async () => {
    const address = `127.0.0.1:${cluster.taskManagers[0]!.ready.port}`;
    const client = new dataProto.sluice.data.DataExchange(address, channelCredentials(user, 'taskmanager'), clientChannelOptions(user));
    clients.push(client);
    const stream = client.Subscribe();
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      stream.on('status', resolve);
      stream.on('error', () => undefined);
      stream.on('data', () => undefined);
      stream.write({ jobId: 'x', producerExecutionId: 'y', edgeId: 'z', subpartition: 0, credit: 4 });
    });
    expect(status).toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: '/sluice.data.DataExchange/Subscribe is not for a client with the cluster token' });
  });

  it('answers REST and metrics over HTTPS only with the token', async () => {
    const rest = await getUrl(`${cluster.local.restUrl}/jobs`, anonymous);
    expect(rest.status).toBe(401);
    expect(JSON.parse(rest.body)).toEqual({ errors: ['this endpoint needs the cluster token (Authorization: Bearer) or a client certificate of the cluster'] });
    expect((await getUrl(`${cluster.local.restUrl}/jobs`, user)).status).toBe(200);
    const metrics = cluster.local.metricsUrl(cluster.taskManagers[0]!);
    expect(metrics).toMatch(/^https:/);
    expect((await getUrl(metrics, anonymous)).status).toBe(401);
    expect((await getUrl(metrics, { ...user, token: 'not-the-token-of-this-cluster' })).status).toBe(401);
    expect((await getUrl(metrics, user)).body).toMatch(/sluice_taskmanager_/);
  });
});
