/**
 * The producer side of the data plane without sockets: the Subscribe handler over fake server
 * streams. It serves a subpartition only to the TaskManager its consumer was deployed to, once,
 * sends only against credit, and bounds and times out subscriptions that wait for a partition.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordCodec } from '../../../common/codec.ts';
import { createLogger } from '../../../common/logging.ts';
import type { CallerResolver } from '../../../common/rpc/grpc-security.ts';
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { createExchangeHandlers } from '../../../taskmanager/network/exchange-service.ts';
import { PartitionManager, partitionKey } from '../../../taskmanager/network/partition-manager.ts';
import { ResultPartition, type Subpartition } from '../../../taskmanager/network/result-partition.ts';
import { FakeClientCall, FakeServerCall, fakePool, INSECURE_CALLERS, TLS_CALLERS } from './fake-streams.ts';
import { RemoteInputChannel } from '../../../taskmanager/network/remote-input-channel.ts';
import type { ChannelListener } from '../../../taskmanager/network/input-channel.ts';

const log = createLogger('exchange-test');
log.level = 'silent';
const CONFIG = { initialBatchRecords: 1, targetBatchBytes: 1 << 20, maxQueuedBatches: 4, bufferTimeoutMs: 1_000 };

/** Writes one record as a batch of its own. */
function emit(sub: Subpartition, record: unknown): void {
  sub.add(record, NO_TIMESTAMP);
  sub.flush();
}
const KEY = partitionKey('job', 'job_src_0_0', 'src->sink#0');
const SUBSCRIPTION = { jobId: 'job', producerExecutionId: 'job_src_0_0', edgeId: 'src->sink#0' };

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(options: { callers?: CallerResolver; maxPending?: number; timeoutMs?: number; consumers?: string[] } = {}) {
  const partitions = new PartitionManager({ subscribeTimeoutMs: options.timeoutMs ?? 10_000, maxPendingSubscriptions: options.maxPending ?? 8 });
  const handlers = createExchangeHandlers(partitions, options.callers ?? TLS_CALLERS, log);
  const partition = new ResultPartition(KEY, 2, CONFIG, options.consumers ?? ['tm-a', 'tm-b']);
  const subscribe = (caller: string | undefined, subpartition: number, credit: number, key = SUBSCRIPTION): FakeServerCall => {
    const call = new FakeServerCall(caller);
    handlers.Subscribe(call.asCall);
    call.receive({ ...key, subpartition, credit });
    return call;
  };
  return { partitions, partition, subscribe };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the exchange service', () => {
  it('sends the consumer’s TaskManager one message per credit, in order', async () => {
    const { partitions, partition, subscribe } = setup();
    partitions.register(partition);
    const call = subscribe('tm-b', 1, 2);
    await settle();
    for (let i = 0; i < 5; i++) emit(partition.subpartitions[1]!, i);
    expect(call.written.map((w) => w.count)).toEqual([1, 1]);
    call.receive({ credit: 3 });
    const codec = createRecordCodec();
    expect(call.written.map((w) => codec.decodeBatch(w.records))).toEqual([[0], [1], [2], [3], [4]]);
    expect(call.status).toBeUndefined();
  });

  it('refuses a subscriber whose certificate is not the consumer’s TaskManager, naming the subpartition', async () => {
    const { partitions, partition, subscribe } = setup();
    partitions.register(partition);
    const stranger = subscribe('tm-x', 1, 4);
    const anonymous = subscribe(undefined, 0, 4);
    await settle();
    expect(stranger.status).toEqual({ code: grpc.status.PERMISSION_DENIED, details: `subpartition 1 of result partition ${KEY} is read by TaskManager tm-b, not by TaskManager tm-x` });
    expect(anonymous.status).toEqual({ code: grpc.status.PERMISSION_DENIED, details: `subpartition 0 of result partition ${KEY} is read by TaskManager tm-a, not by a caller without a TaskManager certificate` });
    emit(partition.subpartitions[1]!, 'secret');
    expect(stranger.written).toEqual([]);
    const consumer = subscribe('tm-b', 1, 4);
    await settle();
    expect(consumer.written).toHaveLength(1);
  });

  it('refuses every subscriber of a partition whose deployment names no consumers', async () => {
    const { partitions, partition, subscribe } = setup({ consumers: [] });
    partitions.register(partition);
    const call = subscribe('tm-a', 0, 4);
    await settle();
    expect(call.status).toEqual({ code: grpc.status.PERMISSION_DENIED, details: `subpartition 0 of result partition ${KEY} has no known consumer, not by TaskManager tm-a` });
  });

  it('serves one reader per subpartition: a second is refused ALREADY_EXISTS, while the first reads and after it left', async () => {
    const { partitions, partition, subscribe } = setup({ callers: INSECURE_CALLERS });
    partitions.register(partition);
    const first = subscribe(undefined, 0, 4);
    await settle();
    const second = subscribe(undefined, 0, 4);
    await settle();
    expect(second.status).toEqual({ code: grpc.status.ALREADY_EXISTS, details: `subpartition 0 of result partition ${KEY} already has a reader` });
    first.emit('cancelled');
    const third = subscribe(undefined, 0, 4);
    await settle();
    expect(third.status?.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(first.status).toBeUndefined();
  });

  it('serves anyone in insecure mode, still one reader per subpartition', async () => {
    const { partitions, partition, subscribe } = setup({ callers: INSECURE_CALLERS });
    partitions.register(partition);
    const call = subscribe(undefined, 1, 1);
    await settle();
    emit(partition.subpartitions[1]!, 'x');
    expect(call.written).toHaveLength(1);
  });

  it('holds subscriptions that come before their partition, and serves them once it registers', async () => {
    const { partitions, partition, subscribe } = setup();
    const early = subscribe('tm-a', 0, 1);
    await settle();
    expect(partitions.pendingSubscriptions).toBe(1);
    partitions.register(partition);
    await settle();
    expect(partitions.pendingSubscriptions).toBe(0);
    emit(partition.subpartitions[0]!, 'x');
    expect(early.written).toHaveLength(1);
  });

  it('bounds the subscriptions that wait for partitions: one past the limit is RESOURCE_EXHAUSTED, naming it', async () => {
    const { partitions, subscribe } = setup({ maxPending: 3 });
    const waiting = [0, 1, 2].map((i) => subscribe('tm-a', 0, 1, { ...SUBSCRIPTION, producerExecutionId: `unknown-${i}` }));
    await settle();
    const refused = subscribe('tm-a', 0, 1, { ...SUBSCRIPTION, producerExecutionId: 'unknown-3' });
    await settle();
    expect(refused.status).toEqual({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: '3 subscriptions already wait for partitions not produced on this TaskManager (the limit --max-pending-subscriptions); refusing the one to job/unknown-3/src->sink#0',
    });
    expect(waiting.map((c) => c.status)).toEqual([undefined, undefined, undefined]);
    waiting[0]!.emit('cancelled');
    await settle();
    expect(partitions.pendingSubscriptions).toBe(2);
    const admitted = subscribe('tm-a', 0, 1, { ...SUBSCRIPTION, producerExecutionId: 'unknown-4' });
    await settle();
    expect(admitted.status).toBeUndefined();
    expect(partitions.pendingSubscriptions).toBe(3);
  });

  it('times out a subscription whose partition is never produced, and frees its place', async () => {
    vi.useFakeTimers();
    const { partitions, subscribe } = setup({ timeoutMs: 5_000 });
    const call = subscribe('tm-a', 0, 1, { ...SUBSCRIPTION, producerExecutionId: 'never' });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(call.status).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(call.status).toEqual({ code: grpc.status.NOT_FOUND, details: 'result partition job/never/src->sink#0 was not produced within 5000 ms' });
    expect(partitions.pendingSubscriptions).toBe(0);
  });

  it('refuses a subscription that names no partition or a subpartition it does not have', async () => {
    const { partitions, partition, subscribe } = setup();
    partitions.register(partition);
    const nameless = subscribe('tm-a', 0, 1, { jobId: '', producerExecutionId: '', edgeId: '' });
    const outOfRange = subscribe('tm-a', 7, 1);
    await settle();
    expect(nameless.status).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: 'a subscription names a job, a producing execution and an edge' });
    expect(outOfRange.status).toEqual({ code: grpc.status.NOT_FOUND, details: `result partition ${KEY} has no subpartition 7` });
  });

  it('fails the stream, not the process, when a batch cannot be encoded', async () => {
    const { partitions, partition, subscribe } = setup();
    partitions.register(partition);
    const call = subscribe('tm-a', 0, 4);
    await settle();
    expect(() => emit(partition.subpartitions[0]!, { id: Symbol('not encodable') })).not.toThrow();
    expect(call.status).toEqual({ code: grpc.status.ABORTED, details: 'the producer cannot encode a batch for this channel: Unknown type: symbol' });
    expect(call.written).toEqual([]);
  });

  it('tells the consumer when the producer fails', async () => {
    const { partitions, partition, subscribe } = setup();
    partitions.register(partition);
    const call = subscribe('tm-a', 0, 1);
    await settle();
    partition.dispose('task src ended FAILED');
    expect(call.status).toEqual({ code: grpc.status.ABORTED, details: 'task src ended FAILED' });
  });
});

describe('credit flow from producer to consumer, without sockets', () => {
  it('moves every record through the exchange under backpressure, the consumer never holding more than it granted', async () => {
    const { partitions, partition, subscribe } = setup({ callers: INSECURE_CALLERS });
    partitions.register(partition);
    const client = new FakeClientCall();
    const failures: string[] = [];
    const listener: ChannelListener = { onChannelData: () => undefined, onChannelFailure: (_c, reason) => failures.push(reason) };
    const channel = new RemoteInputChannel(0, 0, listener, 3, fakePool(client), { address: 'producer:1', ...SUBSCRIPTION, subpartition: 0 });
    channel.start();
    const server = subscribe(undefined, 0, 0);
    await settle();
    // The two fakes wired together: consumer messages to the server, producer messages to the client.
    let forwarded = 0;
    let delivered = 0;
    const exchange = (): void => {
      for (; forwarded < client.sent.length; forwarded++) server.receive(client.sent[forwarded]!);
      for (; delivered < server.written.length; delivered++) client.emit('data', server.written[delivered]!);
    };
    const sub = partition.subpartitions[0]!;
    const received: unknown[] = [];
    let taken = 0;
    let maxHeld = 0;
    let blocked = 0;
    for (let i = 0; i < 60; i++) {
      if (!sub.available) blocked++;
      emit(sub, i);
      exchange();
      maxHeld = Math.max(maxHeld, delivered - taken);
      // The consumer is slower than the producer: it takes one message every third record.
      if (i % 3 === 2) {
        const m = channel.take();
        if (m) {
          taken++;
          if (m.type === 'encoded') received.push(...channel.decodeBatch(m));
        }
      }
    }
    partition.finish();
    for (let m = channel.take(); m || delivered < server.written.length || forwarded < client.sent.length; m = channel.take()) {
      if (m) {
        taken++;
        if (m.type === 'encoded') received.push(...channel.decodeBatch(m));
      }
      exchange();
      maxHeld = Math.max(maxHeld, delivered - taken);
    }
    expect(failures).toEqual([]);
    expect(received).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(channel.finished).toBe(true);
    expect(maxHeld).toBe(3);
    expect(blocked).toBeGreaterThan(0);
  });
});
