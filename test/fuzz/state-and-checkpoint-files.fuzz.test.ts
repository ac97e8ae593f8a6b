/**
 * Fuzzing what a TaskManager and a JobManager read back from disk: state keys and values, keyed
 * state files and checkpoint metadata. Arbitrary or corrupted bytes fail with an error that names
 * the problem; valid ones round-trip.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAtomicFile, readMetadata, writeMetadata } from '../../common/checkpoint/checkpoint-storage.ts';
import type { KeyValue } from '../../common/key-groups.ts';
import { KeyedStateFileReader, KeyedStateFileWriter } from '../../taskmanager/state/snapshot/keyed-state-file.ts';
import { decodeStateKey, StateKeyEncoder } from '../../taskmanager/state/state-key-layout.ts';
import { decodeStateValue, encodeStateValue, type StoredValue } from '../../taskmanager/state/state-value-codec.ts';
import { budget, failsCleanly, failsCleanlyAsync, FUZZ_TIMEOUT_MS } from './fuzz-budget.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const keyValue: fc.Arbitrary<KeyValue> = fc.letrec<{ key: KeyValue }>((tie) => ({
  key: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 20 }), fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d)), fc.array(tie('key'), { maxLength: 3 })),
})).key;

async function readAll(path: string): Promise<number> {
  const reader = await KeyedStateFileReader.open(path);
  try {
    let n = 0;
    for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) n += batch.length;
    return n;
  } finally {
    await reader.close();
  }
}

describe('state and checkpoint file fuzzing', () => {
  it('decodes every state key it encoded, and fails arbitrary bytes cleanly', () => {
    const encoder = new StateKeyEncoder();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 32767 }), fc.integer({ min: 0, max: 0xfffe }), keyValue, fc.string({ maxLength: 20 }), fc.option(fc.double({ noNaN: true }), { nil: undefined }), (keyGroup, stateId, key, namespace, userKey) => {
        const decoded = decodeStateKey(encoder.encodeCopy(keyGroup, stateId, key, namespace, userKey));
        // A map key -0 is the key 0, as in a JS Map.
        expect(decoded).toEqual({ keyGroup, stateId, key, namespace, userKey: userKey !== undefined && Object.is(userKey, -0) ? 0 : userKey });
      }),
      budget(),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => failsCleanly(() => decodeStateKey(bytes))), budget());
  }, FUZZ_TIMEOUT_MS);

  it('fails arbitrary state values cleanly', () => {
    const into: StoredValue = { value: undefined, stamp: 0 } as unknown as StoredValue;
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => failsCleanly(() => decodeStateValue(bytes, into))), budget());
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.boolean(), (value, withTtl) => {
        const plain = JSON.parse(JSON.stringify(value)) as unknown;
        decodeStateValue(encodeStateValue(plain, withTtl, 42), into);
        expect(into.value).toEqual(plain);
      }),
      budget(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('fails corrupted keyed-state files with an error naming the file, never a crash', async () => {
    const encoder = new StateKeyEncoder();
    const valid = join(dir, 'valid.kst');
    const writer = new KeyedStateFileWriter(await createAtomicFile(valid), { kind: 'FULL', checkpointId: 3, operatorId: 'op', keyGroupRange: { start: 0, end: 127 }, states: new Map([[1, 'count']]) });
    for (let i = 0; i < 50; i++) writer.add(encoder.encodeCopy(i % 128, 1, `key-${i}`, '', undefined), Uint8Array.of(i, i + 1));
    await writer.finish();
    const original = readFileSync(valid);
    expect(await readAll(valid)).toBe(50);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.option(fc.nat(), { nil: undefined }), async (flips, cut) => {
        const bytes = Buffer.from(original);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const path = join(dir, `corrupt-${files++}.kst`);
        writeFileSync(path, cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length));
        let error: unknown;
        try {
          await readAll(path);
        } catch (e) {
          error = e;
        }
        if (bytes.equals(original) && cut === undefined) return;
        expect(error, 'a corrupted file must not read as valid').toBeInstanceOf(Error);
        expect((error as Error).message).toContain(path);
      }),
      budget(0.5),
    );
  }, FUZZ_TIMEOUT_MS);

  it('fails arbitrary and corrupted checkpoint metadata with an error, never a crash', async () => {
    const checkpoint = join(dir, 'chk-1');
    await writeMetadata(checkpoint, {
      jobId: 'f'.repeat(32),
      checkpointId: 1,
      isSavepoint: false,
      triggeredAt: 1,
      completedAt: 2,
      sizeBytes: 0,
      incrementalBytes: 0,
      root: '..',
      operators: [],
    });
    const original = readFileSync(join(checkpoint, '_metadata'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
        const bytes = Buffer.from(original);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        return bytes;
      })), async (bytes) => {
        const path = join(dir, `metadata-${files++}`);
        writeFileSync(path, bytes);
        await failsCleanlyAsync(() => readMetadata(path));
      }),
      budget(0.5),
    );
  }, FUZZ_TIMEOUT_MS);
});
