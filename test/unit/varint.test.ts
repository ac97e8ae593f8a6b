/**
 * Unsigned LEB128 varints (common/varint.ts), shared by the state key layout and keyed-state
 * files: known encodings, a round trip of every length up to a safe integer's eight bytes, and
 * reads that stop short (incomplete, too long, bounded by `end`) without moving the cursor.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VARINT_BYTES, readVarint, writeVarint, type ReadCursor } from '../../common/varint.ts';

function encode(value: number): number[] {
  const buf = new Uint8Array(MAX_VARINT_BYTES);
  return [...buf.subarray(0, writeVarint(buf, 0, value))];
}

describe('varints', () => {
  it('write the known LEB128 encodings', () => {
    expect(encode(0)).toEqual([0x00]);
    expect(encode(1)).toEqual([0x01]);
    expect(encode(127)).toEqual([0x7f]);
    expect(encode(128)).toEqual([0x80, 0x01]);
    expect(encode(300)).toEqual([0xac, 0x02]);
    expect(encode(2 ** 31 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(encode(2 ** 31)).toEqual([0x80, 0x80, 0x80, 0x80, 0x08]);
    expect(encode(2 ** 32)).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
    expect(encode(Number.MAX_SAFE_INTEGER)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('read back what they wrote, at any offset, moving the cursor past it', () => {
    const values = [0, 1, 127, 128, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 40 + 3, 2 ** 49, Number.MAX_SAFE_INTEGER];
    const buf = new Uint8Array(3 + values.length * MAX_VARINT_BYTES);
    let at = 3;
    for (const v of values) at = writeVarint(buf, at, v);
    const cursor: ReadCursor = { at: 3 };
    expect(values.map(() => readVarint(buf, cursor))).toEqual(values);
    expect(cursor.at).toBe(at);
  });

  it('return -1 and leave the cursor for an incomplete varint, one cut off by `end`, and one too long', () => {
    const cursor: ReadCursor = { at: 1 };
    expect(readVarint(Uint8Array.of(0x05, 0x80, 0x80), cursor)).toBe(-1);
    expect(cursor.at).toBe(1);
    expect(readVarint(Uint8Array.of(0x05, 0xac, 0x02), cursor, 2)).toBe(-1);
    expect(cursor.at).toBe(1);
    expect(readVarint(Uint8Array.of(0x05, 0xac, 0x02), cursor)).toBe(300);
    expect(cursor.at).toBe(3);
    const tooLong = new Uint8Array(MAX_VARINT_BYTES + 1).fill(0x80);
    tooLong[MAX_VARINT_BYTES] = 0x01;
    expect(readVarint(tooLong, { at: 0 })).toBe(-1);
  });
});
