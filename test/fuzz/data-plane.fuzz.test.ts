/**
 * Fuzzing the data-plane decoder: bytes as a peer could send them, through the real protobuf
 * deserializer of `DataExchange.Subscribe`, `fromWire` and the record codec; then the same bytes
 * into a live remote input channel (it never throws in its stream listener, and fails only its own
 * channel, naming the producer), and consumer messages into the exchange service.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordCodec } from '../../common/codec.ts';
import type { ChannelMessage as WireMessage } from '../../common/rpc/index.ts';
import { dataProto } from '../../common/rpc/proto.ts';
import { createLogger } from '../../common/logging.ts';
import { CallerResolver } from '../../common/rpc/grpc-security.ts';
import { NO_TIMESTAMP } from '../../common/time.ts';
import { createExchangeHandlers } from '../../taskmanager/network/exchange-service.ts';
import type { ChannelListener, InputChannel } from '../../taskmanager/network/input-channel.ts';
import { PartitionManager, partitionKey } from '../../taskmanager/network/partition-manager.ts';
import { RemoteInputChannel } from '../../taskmanager/network/remote-input-channel.ts';
import { ResultPartition } from '../../taskmanager/network/result-partition.ts';
import { decodeRecords, fromWire, toWire } from '../../taskmanager/network/wire-message.ts';
import { FakeClientCall, FakeServerCall, fakePool } from '../unit/network/fake-streams.ts';
import { budget, failsCleanly, FUZZ_TIMEOUT_MS } from './fuzz-budget.ts';

const subscribe = dataProto.sluice.data.DataExchange.service.Subscribe;
const deserialize = (bytes: Uint8Array): WireMessage => subscribe.responseDeserialize(Buffer.from(bytes)) as WireMessage;
const serialize = (message: object): Buffer => subscribe.responseSerialize(message as never);

/** Everything a receiving task does with a message before its operators see the records. */
function receive(bytes: Uint8Array): void {
  const message = fromWire(deserialize(bytes));
  if (message.type === 'encoded') decodeRecords(message, createRecordCodec());
}

const PEER = 'channel from job_v_0_0 at 10.0.0.9:6124';

/** A remote input channel over a fake stream, with the failures its gate would see. */
function openChannel(credit: number): { channel: RemoteInputChannel; call: FakeClientCall; failures: string[] } {
  const call = new FakeClientCall();
  const failures: string[] = [];
  const listener: ChannelListener = { onChannelData: () => undefined, onChannelFailure: (_c: InputChannel, reason: string) => failures.push(reason) };
  const channel = new RemoteInputChannel(0, 0, listener, credit, fakePool(call), { address: '10.0.0.9:6124', jobId: 'job', producerExecutionId: 'job_v_0_0', edgeId: 'e', subpartition: 0 });
  channel.start();
  return { channel, call, failures };
}

/**
 * Delivers each message to a channel; after those marked, the task takes everything waiting.
 * Nothing may throw in the listener; a failure names the producer; a batch that does not decode
 * throws an Error naming it; between two takes the channel never holds more than its credit.
 */
function deliverAll(messages: (readonly [Uint8Array, boolean])[], credit: number): void {
  const { channel, call, failures } = openChannel(credit);
  const takeAll = (): void => {
    let taken = 0;
    for (let m = channel.take(); m; m = channel.take()) {
      taken++;
      if (m.type !== 'encoded') continue;
      try {
        channel.decodeBatch(m);
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message.startsWith(`${PEER}: `)).toBe(true);
      }
    }
    expect(taken).toBeLessThanOrEqual(credit);
  };
  for (const [bytes, thenTake] of messages) {
    let wire: WireMessage;
    try {
      wire = deserialize(bytes);
    } catch {
      continue; // grpc-js ends the call with INTERNAL before any listener sees such a message.
    }
    call.emit('data', wire);
    if (thenTake) takeAll();
  }
  takeAll();
  for (const f of failures) expect(f.startsWith(`${PEER}: `)).toBe(true);
  expect(failures.length).toBeLessThanOrEqual(1);
}

/** A record as a job emits it; -0 travels as 0 (msgpack packs it as an integer). */
const record = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d)), fc.boolean(), fc.constant(null)), { maxKeys: 5 });

describe('data-plane decoder fuzzing', () => {
  it('fails arbitrary bytes with an error, never a crash', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => failsCleanly(() => receive(bytes))), budget());
  }, FUZZ_TIMEOUT_MS);

  it('fails mutations of valid batches with an error, never a crash', () => {
    const codec = createRecordCodec();
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (records, flips) => {
        const wire = serialize(toWire({ type: 'records', records, timestamps: records.map((_, i) => i) }, codec));
        for (const [at, value] of flips) wire[at % wire.length] = value;
        failsCleanly(() => receive(wire));
      }),
      budget(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('reads back what it wrote: records, their count and timestamps', () => {
    const codec = createRecordCodec();
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const timestamps = records.map((_, i) => 1_700_000_000_000 + i);
        const message = fromWire(deserialize(serialize(toWire({ type: 'records', records, timestamps }, codec))));
        expect(message.type).toBe('encoded');
        if (message.type !== 'encoded') return;
        expect(message.count).toBe(records.length);
        expect(codec.decodeBatch(message.bytes)).toEqual(records);
        if (records.length > 0) expect([...message.timestamps!]).toEqual(timestamps);
      }),
      budget(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('feeds arbitrary and mutated messages to a remote input channel: it fails its channel, naming the producer, and never throws', () => {
    const codec = createRecordCodec();
    const valid = fc.array(record, { minLength: 0, maxLength: 10 }).map((records) => new Uint8Array(serialize(toWire({ type: 'records', records, timestamps: records.map((_, i) => i) }, codec))));
    const mutated = fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([bytes, flips]) => {
      const copy = new Uint8Array(bytes);
      for (const [at, value] of flips) if (copy.length > 0) copy[at % copy.length] = value;
      return copy;
    });
    const message = fc.oneof(valid, mutated, fc.uint8Array({ maxLength: 64 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(message, fc.boolean()), { maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (messages, credit) => {
        expect(() => deliverAll(messages, credit)).not.toThrow();
      }),
      budget(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('feeds arbitrary consumer messages to the exchange service: each stream is served or refused, never a throw', async () => {
    const requests = dataProto.sluice.data.DataExchange.service.Subscribe;
    const log = createLogger('fuzz');
    log.level = 'silent';
    const callers = new CallerResolver({ mode: 'tls', ca: Buffer.alloc(0), identity: undefined, token: undefined });
    const consumerMessage = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.record({ jobId: fc.constantFrom('', 'job', 'other'), producerExecutionId: fc.constantFrom('', 'p', 'q'), edgeId: fc.constantFrom('', 'e'), subpartition: fc.nat(4), credit: fc.nat() }).map((m) => new Uint8Array(requests.requestSerialize(m as never))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('tm-a', 'tm-b', undefined), fc.array(consumerMessage, { maxLength: 4 })), { maxLength: 6 }), async (streams) => {
        const partitions = new PartitionManager({ subscribeTimeoutMs: 60_000, maxPendingSubscriptions: 2 });
        const partition = new ResultPartition(partitionKey('job', 'p', 'e'), 2, { initialBatchRecords: 1, targetBatchBytes: 64, maxQueuedBatches: 4, bufferTimeoutMs: 1_000 }, ['tm-a', 'tm-b']);
        partitions.register(partition);
        const handlers = createExchangeHandlers(partitions, callers, log);
        const calls = streams.map(([caller, messages]) => {
          const call = new FakeServerCall(caller);
          handlers.Subscribe(call.asCall);
          for (const bytes of messages) {
            let decoded;
            try {
              decoded = requests.requestDeserialize(Buffer.from(bytes));
            } catch {
              continue; // grpc-js ends the call before the handler sees such a message.
            }
            call.emit('data', decoded);
          }
          return call;
        });
        await new Promise((resolve) => setImmediate(resolve));
        for (const sub of partition.subpartitions) sub.add('r', NO_TIMESTAMP);
        partition.flushAll();
        const served = calls.flatMap((call, i) => (call.written.length > 0 ? [streams[i]![0]] : []));
        for (const caller of served) expect(['tm-a', 'tm-b']).toContain(caller);
        expect(new Set(served).size).toBe(served.length);
        for (const call of calls) if (call.status) expect(call.status.details.length).toBeGreaterThan(0);
        for (const call of calls) call.emit('cancelled');
        await new Promise((resolve) => setImmediate(resolve));
        expect(partitions.pendingSubscriptions).toBe(0);
        partition.dispose('fuzz case over');
      }),
      budget(0.1),
    );
  }, FUZZ_TIMEOUT_MS);
});
