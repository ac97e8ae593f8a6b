/**
 * The consumer side of the data plane without sockets: a remote input channel over a fake client
 * stream. It grants credit and returns it as the task takes messages; a producer that sends
 * beyond the credit, or sends a message that does not decode, fails the one channel with a reason
 * that names the producer and its address, and the channel never holds more than it granted.
 */
import { describe, expect, it } from 'vitest';
import { createRecordCodec } from '../../../common/codec.ts';
import type { ChannelMessageInput } from '../../../common/rpc/index.ts';
import { WATERMARK_SLOT } from '../../../common/time.ts';
import type { ChannelMessage } from '../../../taskmanager/network/channel-message.ts';
import type { ChannelListener, InputChannel } from '../../../taskmanager/network/input-channel.ts';
import { RemoteInputChannel } from '../../../taskmanager/network/remote-input-channel.ts';
import { toWire } from '../../../taskmanager/network/wire-message.ts';
import { FakeClientCall, fakePool } from './fake-streams.ts';

const codec = createRecordCodec();
const PEER = 'channel from job_v_0_0 at 10.0.0.7:6124';

/** What the gate would learn from the channel. */
class Listener implements ChannelListener {
  readonly failures: string[] = [];
  data = 0;
  onChannelData(): void {
    this.data++;
  }
  onChannelFailure(_channel: InputChannel, reason: string): void {
    this.failures.push(reason);
  }
}

function open(credit = 4): { channel: RemoteInputChannel; call: FakeClientCall; listener: Listener; addresses: string[] } {
  const call = new FakeClientCall();
  const listener = new Listener();
  const addresses: string[] = [];
  const channel = new RemoteInputChannel(0, 0, listener, credit, fakePool(call, addresses), { address: '10.0.0.7:6124', jobId: 'job', producerExecutionId: 'job_v_0_0', edgeId: 'a->b#0', subpartition: 2 });
  channel.start();
  return { channel, call, listener, addresses };
}

function batch(records: unknown[], timestamps?: number[]): ChannelMessageInput {
  return toWire({ type: 'records', records, timestamps }, codec);
}

/** Takes every waiting message, decoding batches as the task does. */
function drain(channel: InputChannel): unknown[] {
  const got: unknown[] = [];
  for (let m = channel.take(); m; m = channel.take()) got.push(m.type === 'encoded' ? channel.decodeBatch(m) : m.type === 'records' ? m.records : m.kind);
  return got;
}

describe('a remote input channel', () => {
  it('subscribes with its credit at the producer’s address and returns one credit per message taken', () => {
    const { channel, call, addresses } = open(4);
    expect(addresses).toEqual(['10.0.0.7:6124']);
    expect(call.sent[0]).toMatchObject({ jobId: 'job', producerExecutionId: 'job_v_0_0', edgeId: 'a->b#0', subpartition: 2, credit: 4 });
    for (let i = 0; i < 4; i++) call.deliver(batch([i]));
    expect(drain(channel)).toEqual([[0], [1], [2], [3]]);
    expect(call.granted).toBe(8);
    for (let i = 4; i < 7; i++) call.deliver(batch([i]));
    call.deliver({ event: { kind: 'END_OF_INPUT' } });
    expect(call.cancelled).toBe(false);
    expect(drain(channel)).toEqual([[4], [5], [6], 'END_OF_INPUT']);
    expect(call.granted).toBe(11);
  });

  it('fails the channel, naming the producer, when it sends without credit, and holds no more than it granted', () => {
    const { channel, call, listener } = open(4);
    for (let i = 0; i < 1000; i++) call.deliver(batch([i]));
    expect(listener.failures).toEqual([`${PEER}: the producer sent a message without credit (this channel grants 4 messages in flight)`]);
    expect(call.cancelled).toBe(true);
    expect(drain(channel)).toEqual([[0], [1], [2], [3]]);
  });

  it('counts the credit it returns: a producer one message ahead of it fails', () => {
    const { channel, call, listener } = open(2);
    call.deliver(batch([1]));
    call.deliver(batch([2]));
    expect(drain(channel)).toHaveLength(2);
    call.deliver(batch([3]));
    call.deliver(batch([4]));
    expect(listener.failures).toEqual([]);
    call.deliver(batch([5]));
    expect(listener.failures).toHaveLength(1);
    expect(listener.failures[0]).toMatch(/without credit/);
  });

  it('fails a batch whose timestamp block is not 8 bytes per record, without throwing', () => {
    const { channel, call, listener } = open();
    const wire = batch([1, 2, 3], [10, 20, 30]);
    expect(() => call.deliver({ ...wire, timestamps: new Uint8Array(17) })).not.toThrow();
    expect(listener.failures).toEqual([`${PEER}: malformed message: a batch of 3 records carries 17 timestamp bytes, not 24`]);
    expect(call.cancelled).toBe(true);
    expect(channel.hasData).toBe(false);
    call.deliver(batch([4]));
    expect(listener.failures).toHaveLength(1);
  });

  it.each<[string, ChannelMessageInput, string]>([
    ['an unknown event kind', { event: { kind: 9 as never } }, 'unknown event kind 9'],
    ['a watermark without a time', { event: { kind: 'WATERMARK', timestamp: Number.NaN } }, 'a watermark event carries no time (NaN)'],
    ['a barrier event without a barrier', { event: { kind: 'BARRIER' } }, 'a barrier event carries no barrier'],
    ['a barrier of checkpoint 0', { event: { kind: 'BARRIER', barrier: { checkpointId: 0, timestamp: 1 } } }, 'a barrier carries checkpoint id 0, not a positive integer'],
    ['an event with records', { records: new Uint8Array([0x90]), count: 1, event: { kind: 'IDLE' } }, 'a message carries both an event and records'],
  ])('fails %s with the fault', (_what, wire, fault) => {
    const { call, listener } = open();
    call.deliver(wire);
    expect(listener.failures).toEqual([`${PEER}: malformed message: ${fault}`]);
  });

  it('fails a message after end of input by dropping the stream', () => {
    const { channel, call, listener } = open();
    call.deliver({ event: { kind: 'END_OF_INPUT' } });
    call.deliver(batch([1]));
    expect(call.cancelled).toBe(true);
    expect(listener.failures).toEqual([]);
    expect(drain(channel)).toEqual(['END_OF_INPUT']);
  });

  it('decodes a batch when the task takes it, and fails one that holds other than it declares, naming the producer', () => {
    const { channel, call } = open();
    const wrongCount = { ...batch([1, 2]), count: 3, timestamps: new Uint8Array(0) };
    call.deliver(wrongCount);
    call.deliver({ records: new Uint8Array([0xc1, 0xff]), count: 1 });
    call.deliver({ ...batch(['not a watermark'], [WATERMARK_SLOT]) });
    const taken = [channel.take(), channel.take(), channel.take()] as (ChannelMessage & { type: 'encoded' })[];
    expect(() => channel.decodeBatch(taken[0]!)).toThrow(`${PEER}: a batch declares 3 records and holds 2`);
    expect(() => channel.decodeBatch(taken[1]!)).toThrow(new RegExp(`^${PEER}: malformed record batch of 2 bytes`));
    expect(() => channel.decodeBatch(taken[2]!)).toThrow(`${PEER}: record 0 of a batch is marked a watermark but is not a number`);
  });

  it('reports a stream the producer ends early, and nothing once it was closed', () => {
    const first = open();
    first.call.emit('end');
    expect(first.listener.failures).toEqual([`${PEER}: the producer closed the stream before end of input`]);
    const second = open();
    second.channel.close();
    second.call.emit('error', new Error('cancelled'));
    expect(second.call.cancelled).toBe(true);
    expect(second.listener.failures).toEqual([]);
  });
});
