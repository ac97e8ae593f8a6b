/**
 * Fuzzing the data-plane decoder: bytes as a peer could send them, through the real protobuf
 * deserializer of `DataExchange.Subscribe`, `fromWire` and the record codec.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordCodec } from '../../common/codec.ts';
import type { ChannelMessage as WireMessage } from '../../common/rpc/index.ts';
import { dataProto } from '../../common/rpc/proto.ts';
import { fromWire, toWire } from '../../taskmanager/network/wire-message.ts';
import { budget, failsCleanly, FUZZ_TIMEOUT_MS } from './fuzz-budget.ts';

const subscribe = dataProto.sluice.data.DataExchange.service.Subscribe;
const deserialize = (bytes: Uint8Array): WireMessage => subscribe.responseDeserialize(Buffer.from(bytes)) as WireMessage;
const serialize = (message: object): Buffer => subscribe.responseSerialize(message as never);

/** Everything a receiving task does with a message before its operators see the records. */
function receive(bytes: Uint8Array): void {
  const message = fromWire(deserialize(bytes));
  if (message.type !== 'encoded') return;
  const records = createRecordCodec().decodeBatch(message.bytes);
  if (records.length !== message.count) throw new Error(`batch declares ${message.count} records and holds ${records.length}`);
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
});
