/**
 * The data plane of a live cluster with mutual TLS, probed from outside: a TaskManager certificate
 * that is not the consumer's cannot read a subpartition, the consumer's own cannot open a second
 * reader, subscriptions to partitions never produced are bounded; and a producer that sends far
 * beyond the credit it was granted, or a batch whose timestamps do not match its records, fails
 * the one consumer channel (not the process), the job restarts and its committed output is exact.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelCredentials, clientChannelOptions } from '../../common/rpc/grpc-security.ts';
import { dataProto } from '../../common/rpc/proto.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import type { DataExchangeClient } from '../../proto/generated/sluice/data/DataExchange.ts';
import type { ProducerFault } from '../support/hostile-producer.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

const HOSTILE_PRODUCER = fileURLToPath(new URL('../support/hostile-producer.ts', import.meta.url));

/** A subscription a test opened, and how it ended (when it did). */
interface Probe {
  readonly stream: grpc.ClientDuplexStream<object, unknown>;
  readonly status: Promise<grpc.StatusObject>;
  ended: grpc.StatusObject | undefined;
  received: number;
}

const clients: grpc.Client[] = [];

function subscribe(address: string, security: SecurityConfig, request: { jobId: string; producerExecutionId: string; edgeId: string; subpartition: number }): Probe {
  const client = new dataProto.sluice.data.DataExchange(address, channelCredentials(security, 'taskmanager'), clientChannelOptions(security)) as DataExchangeClient;
  clients.push(client);
  const stream = client.Subscribe() as unknown as grpc.ClientDuplexStream<object, unknown>;
  const probe: Probe = {
    stream,
    ended: undefined,
    received: 0,
    status: new Promise((resolve) => {
      stream.on('status', (status: grpc.StatusObject) => {
        probe.ended = status;
        resolve(status);
      });
    }),
  };
  stream.on('error', () => undefined);
  stream.on('data', () => probe.received++);
  stream.write({ ...request, credit: 4 });
  return probe;
}

/** The keyed edge of a two-vertex job: its id, the producing vertex and the consuming one. */
function keyedEdge(status: JobStatus): { edgeId: string; producer: string; consumer: string } {
  for (const vertex of status.graph?.vertices ?? []) {
    const edge = vertex.inputs.find((e) => e.partitioner === 'HASH');
    if (edge) return { edgeId: edge.id, producer: edge.sourceVertexId, consumer: vertex.id };
  }
  throw new Error('the job has no keyed edge');
}

afterAll(() => {
  for (const c of clients) c.close();
});

describe('subscriptions on a cluster with mutual TLS', () => {
  let cluster: MiniCluster;

  beforeAll(async () => {
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 1, taskManagerArgs: ['--max-pending-subscriptions', '2'] });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  function addressOf(taskManagerId: string): string {
    const process = cluster.taskManagers.find((tm) => tm.ready.id === taskManagerId);
    if (!process) throw new Error(`no TaskManager ${taskManagerId}`);
    return `127.0.0.1:${process.ready.port}`;
  }

  it('serves a subpartition only to the consumer’s TaskManager, once, and the job runs on', async () => {
    const jobId = await cluster.submit('test/jobs/datagen-keyed', 2, { rate: '500', out: 'print:' });
    const running = await cluster.waitForAllTasksRunning(jobId);
    const { edgeId, producer, consumer } = keyedEdge(running);
    const producerTask = running.tasks.find((t) => t.vertexId === producer && t.subtask === 0)!;
    const consumerTask = running.tasks.find((t) => t.vertexId === consumer && t.subtask === 1)!;
    const request = { jobId, producerExecutionId: producerTask.executionId, edgeId, subpartition: 1 };
    const partition = `${jobId}/${producerTask.executionId}/${edgeId}`;

    const intruder = (await cluster.local.credentialsFor({ role: 'taskmanager', id: 'tm-intruder' }))!;
    const stranger = subscribe(addressOf(producerTask.taskmanagerId), intruder, request);
    expect(await stranger.status).toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: `subpartition 1 of result partition ${partition} is read by TaskManager ${consumerTask.taskmanagerId}, not by TaskManager tm-intruder`,
    });
    expect(stranger.received).toBe(0);

    const sameIdentity = (await cluster.local.credentialsFor({ role: 'taskmanager', id: consumerTask.taskmanagerId }))!;
    const second = subscribe(addressOf(producerTask.taskmanagerId), sameIdentity, request);
    expect(await second.status).toMatchObject({ code: grpc.status.ALREADY_EXISTS, details: `subpartition 1 of result partition ${partition} already has a reader` });
    expect(second.received).toBe(0);

    const before = (await cluster.client.status(jobId)).recordsOut;
    const after = await waitFor(async () => {
      const s = await cluster.client.status(jobId);
      return s.recordsOut > before + 200 ? s : undefined;
    }, 'records to keep flowing to the sink');
    expect(after.state).toBe('RUNNING');
    expect(after.restarts).toBe(0);
    expect(after.lastFailure).toBe('');
    await cluster.client.cancel(jobId);
    await cluster.waitForState(jobId, ['CANCELED']);
  });

  it('holds subscriptions to partitions not produced here up to --max-pending-subscriptions, and refuses one more', async () => {
    const intruder = (await cluster.local.credentialsFor({ role: 'taskmanager', id: 'tm-intruder' }))!;
    const address = `127.0.0.1:${cluster.taskManagers[0]!.ready.port}`;
    const probes = [0, 1, 2].map((i) => subscribe(address, intruder, { jobId: 'no-such-job', producerExecutionId: `p${i}`, edgeId: 'e', subpartition: 0 }));
    const refused = await Promise.race(probes.map((p) => p.status));
    expect(refused.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(/^2 subscriptions already wait for partitions not produced on this TaskManager \(the limit --max-pending-subscriptions\); refusing the one to no-such-job\/p[012]\/e$/);
    expect(probes.filter((p) => p.ended !== undefined)).toHaveLength(1);
    for (const p of probes) p.stream.cancel();
  });
});

describe.each<[ProducerFault, string]>([
  ['over-credit', 'the producer sent a message without credit (this channel grants 4 messages in flight)'],
  ['malformed-timestamps', 'malformed message: a batch of 3 records carries 16 timestamp bytes, not 24'],
])('a producer that sends %s', (fault, reason) => {
  let cluster: MiniCluster;
  let dir: string;
  const texts: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-hostile-producer-'));
    mkdirSync(join(dir, 'in'));
    for (let file = 0; file < 2; file++) {
      const lines: string[] = [];
      for (let i = 0; i < 1_500; i++) {
        const text = `w${(i * 7 + file) % 97} w${i % 13} shared`;
        texts.push(text);
        lines.push(JSON.stringify({ text }));
      }
      writeFileSync(join(dir, 'in', `part-${file}.jsonl`), `${lines.join('\n')}\n`);
    }
    cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 1 });
    const previous = { args: process.env.SLUICE_NODE_ARGS, fault: process.env.SLUICE_TEST_PRODUCER_FAULT };
    process.env.SLUICE_NODE_ARGS = `--import tsx/esm --import ${HOSTILE_PRODUCER}`;
    process.env.SLUICE_TEST_PRODUCER_FAULT = fault;
    try {
      await cluster.local.addTaskManager();
    } finally {
      restoreEnv('SLUICE_NODE_ARGS', previous.args);
      restoreEnv('SLUICE_TEST_PRODUCER_FAULT', previous.fault);
    }
    await cluster.waitForTaskManagers(2);
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the one consumer channel, naming the producer; the job restarts and its output is exact', async () => {
    const out = join(dir, 'out');
    // A replay rate keeps each source subtask busy for over a second, so that a flooded channel stays in alignment.
    const jobId = await cluster.submit('jobs/examples/word-count', 2, { in: `file:${join(dir, 'in')}?rate=1000`, out: `file:${out}`, malformed: 'print:' }, { settings: { checkpointIntervalMs: 200 } });
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
    expect(final.state).toBe('FINISHED');
    expect(final.restarts).toBeGreaterThanOrEqual(1);
    expect(final.lastFailure).toMatch(/channel from \S+ at 127\.0\.0\.1:\d+: /);
    expect(final.lastFailure).toContain(reason);

    const expected = new Map<string, number>();
    for (const text of texts) for (const word of text.split(' ')) expected.set(word, (expected.get(word) ?? 0) + 1);
    const counts = readCommittedOutput<{ word: string; count: number }>(out);
    expect(counts).toHaveLength(expected.size);
    expect(new Map(counts.map((c) => [c.word, c.count]))).toEqual(expected);
    expect((await cluster.rest<{ taskmanagers: number }>('/overview')).taskmanagers).toBe(2);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
