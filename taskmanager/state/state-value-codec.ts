/**
 * How a state value is stored: one flags byte, the 8-byte (float64 BE) last-refresh time when the
 * state has a TTL, then the value as MessagePack (msgpackr, plain maps, no record extension, so
 * every value decodes on its own).
 *
 * State values should be JSON-like data (objects, arrays, strings, numbers, booleans, null), like
 * records: the cache hands out the JS value it holds, and after an eviction the value is decoded
 * again, so a Map, Set, Date or class instance stored in a value would come back as something else.
 */
import { Packr } from 'msgpackr';

const FLAG_TTL = 0x01;

const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const stampScratch = new DataView(new ArrayBuffer(8));

/** A value and its last-refresh time, as read back from bytes. */
export interface StoredValue {
  value: unknown;
  /** Last-refresh time in ms; 0 when the state has no TTL. */
  stamp: number;
}

/** Small integers whose encodings (without TTL) are kept ready: counts, flags, timer markers. */
const SMALL_INT_MIN = -32;
const SMALL_INT_MAX = 1023;

/** The encodings of `true`, `false`, `null` and the small integers, without TTL, built once. */
const ready = {
  true: frozenEncoding(true),
  false: frozenEncoding(false),
  null: frozenEncoding(null),
  ints: Array.from({ length: SMALL_INT_MAX - SMALL_INT_MIN + 1 }, (_, i) => frozenEncoding(SMALL_INT_MIN + i)),
};

function frozenEncoding(plain: unknown): Uint8Array {
  const body = packr.pack(plain);
  const out = new Uint8Array(1 + body.length);
  out.set(body, 1);
  return out;
}

/**
 * Encodes a value. `plain` is what the state kind stores (see `StateKind.toPlain`); `stamp` is
 * written when `withTtl` is set. The bytes must not be modified: those of common small values
 * (booleans, null, small integers) are shared, so that encoding them allocates nothing.
 */
export function encodeStateValue(plain: unknown, withTtl: boolean, stamp: number): Uint8Array {
  if (!withTtl) {
    if (plain === true) return ready.true;
    if (plain === false) return ready.false;
    if (plain === null) return ready.null;
    if (typeof plain === 'number' && Number.isInteger(plain) && plain >= SMALL_INT_MIN && plain <= SMALL_INT_MAX && !Object.is(plain, -0)) {
      return ready.ints[plain - SMALL_INT_MIN]!;
    }
  }
  const body = packr.pack(plain);
  const header = withTtl ? 9 : 1;
  const out = Buffer.allocUnsafe(header + body.length);
  out[0] = withTtl ? FLAG_TTL : 0;
  if (withTtl) out.writeDoubleBE(stamp, 1);
  out.set(body, header);
  return out;
}

/** Decodes bytes written by `encodeStateValue` into `into`, returning the stored plain value. */
export function decodeStateValue(bytes: Uint8Array, into: StoredValue): void {
  const flags = bytes[0] ?? 0;
  if ((flags & FLAG_TTL) !== 0) {
    for (let i = 0; i < 8; i++) stampScratch.setUint8(i, bytes[1 + i] ?? 0);
    into.stamp = stampScratch.getFloat64(0);
    into.value = packr.unpack(bytes, { start: 9 });
  } else {
    into.stamp = 0;
    into.value = packr.unpack(bytes, { start: 1 });
  }
}

/**
 * Encodes a plain value in the same MessagePack dialect as state values, without the flags
 * header: for state held outside the keyed backend (the entries of operator state in a
 * checkpoint), so that it round-trips exactly as keyed state would.
 */
export function packPlainValue(plain: unknown): Uint8Array {
  return packr.pack(plain);
}

/** Decodes bytes written by `packPlainValue`. */
export function unpackPlainValue(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}
