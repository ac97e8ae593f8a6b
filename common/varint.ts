/**
 * Unsigned LEB128 varints, seven bits a byte, low bits first, the high bit set on every byte but
 * the last: the lengths and counts of the state key layout and of keyed-state files. The writer is
 * on the per-record path (state keys), so both functions allocate nothing and stay small enough
 * for the JIT to inline.
 */

/** The longest varint of a safe integer: 8 × 7 bits hold its 53. */
export const MAX_VARINT_BYTES = 8;

/** A read position in a buffer, which `readVarint` moves; keep one per reader and reuse it. */
export interface ReadCursor {
  at: number;
}

/**
 * Writes `value`, a safe non-negative integer, at `offset` and returns the offset after it. The
 * buffer must have room for MAX_VARINT_BYTES from `offset`.
 */
export function writeVarint(buf: Uint8Array, offset: number, value: number): number {
  if (value < 0x80) {
    buf[offset] = value;
    return offset + 1;
  }
  return writeLongVarint(buf, offset, value);
}

/** `writeVarint` of a value of two bytes or more, kept apart so that the one-byte case inlines small. */
function writeLongVarint(buf: Uint8Array, offset: number, value: number): number {
  let v = value;
  let at = offset;
  while (v > 0x7fffffff) {
    buf[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

/**
 * Reads the varint at `cursor.at` and moves the cursor past it. Returns -1, leaving the cursor
 * where it was, when the bytes before `end` hold no complete varint, or one longer than
 * MAX_VARINT_BYTES (the caller tells the two apart by how many bytes there are).
 */
export function readVarint(buf: Uint8Array, cursor: ReadCursor, end: number = buf.length): number {
  const start = cursor.at;
  const limit = Math.min(end, buf.length, start + MAX_VARINT_BYTES);
  let value = 0;
  let scale = 1;
  for (let p = start; p < limit; p++) {
    const b = buf[p]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      cursor.at = p + 1;
      return value;
    }
    scale *= 0x80;
  }
  return -1;
}
