/**
 * State value encoding: the shared encodings of common small values (booleans, null, small
 * integers) are byte for byte what the general path writes, and every value decodes back, with
 * and without a TTL stamp.
 */
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeStateValue, encodeStateValue, type StoredValue } from '../../../taskmanager/state/state-value-codec.ts';

/** The general path: a flags byte, then MessagePack in the codec's dialect. */
const packr = new Packr({ useRecords: false, mapsAsObjects: true });
function general(plain: unknown): Uint8Array {
  const body = packr.pack(plain);
  return Uint8Array.from([0, ...body]);
}

const values: unknown[] = [true, false, null, -0, 0.5, -33, 1024, 2 ** 40, 'x', { a: 1 }, [1, 2]];
for (let i = -40; i <= 1100; i++) values.push(i);

describe('state value codec', () => {
  it('writes the same bytes for every value, shared encoding or not', () => {
    for (const value of values) expect([...encodeStateValue(value, false, 0)], String(value)).toEqual([...general(value)]);
  });

  it('decodes every value back, with and without a TTL stamp', () => {
    const out: StoredValue = { value: undefined, stamp: 0 };
    // MessagePack has no -0: it comes back as 0, as it did before any value was shared.
    for (const value of values.filter((v) => !Object.is(v, -0))) {
      decodeStateValue(encodeStateValue(value, false, 0), out);
      expect(out).toEqual({ value, stamp: 0 });
      decodeStateValue(encodeStateValue(value, true, 1234.5), out);
      expect(out).toEqual({ value, stamp: 1234.5 });
    }
  });

  it('shares the encoding of a small value, and never the encoding of a stamped one', () => {
    expect(encodeStateValue(7, false, 0)).toBe(encodeStateValue(7, false, 0));
    expect(encodeStateValue(true, false, 0)).toBe(encodeStateValue(true, false, 0));
    expect(encodeStateValue(7, true, 1)).not.toBe(encodeStateValue(7, true, 1));
  });
});
