/** Fuzzing the batch codec: arbitrary bytes fail cleanly, arbitrary records survive a round trip. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordCodec } from '../../common/codec.ts';
import { budget, failsCleanly, FUZZ_TIMEOUT_MS } from './fuzz-budget.ts';

/** Records as jobs produce them: JSON values without -0 (msgpack keeps it, JSON would not). */
const jsonRecord = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('record codec fuzzing', () => {
  it('fails arbitrary bytes with an error, never a crash', () => {
    const codec = createRecordCodec();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1024 }), (bytes) => failsCleanly(() => codec.decodeBatch(bytes))), budget());
  }, FUZZ_TIMEOUT_MS);

  it('decodes every batch another codec instance encoded to equal records', () => {
    fc.assert(
      fc.property(fc.array(fc.array(jsonRecord, { maxLength: 10 }), { minLength: 1, maxLength: 5 }), (batches) => {
        const writer = createRecordCodec();
        const reader = createRecordCodec();
        for (const batch of batches) expect(reader.decodeBatch(writer.encodeBatch(batch))).toEqual(batch);
      }),
      budget(0.5),
    );
  }, FUZZ_TIMEOUT_MS);
});
