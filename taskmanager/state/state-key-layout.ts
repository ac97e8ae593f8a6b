/**
 * How keyed state is laid out in the state database, and how the write-back cache names entries.
 *
 * A state key is `[key group: uint16 BE][state id: uint16 BE][key][namespace][user key]`:
 * - the key group comes first, so a key-group range is one contiguous byte range (what clearing,
 *   snapshots and rescaling need), and key groups stay below 0x8000, leaving first bytes 0x80 and
 *   above to metadata (see `META_PREFIX`);
 * - the key is self-delimiting: a tag byte, then a LEB128 byte length and UTF-8 for a string, 8
 *   bytes (float64 BE) for a safe integer, or a LEB128 count and the elements for an array;
 * - the namespace is a LEB128 byte length and UTF-8;
 * - the user key is empty for value, list, map, reducing and aggregating state (a list or map is
 *   one value per key and namespace), and an order-preserving 8-byte encoding of the timestamp
 *   for timers.
 *
 * The cache names an entry by a string instead (string Map keys are much faster than buffers),
 * built from the state's prefix, the key's `keyCacheString` and the namespace. The key group is a
 * function of the key, so the string leaves it out.
 */
import type { KeyGroupRange, KeyValue } from '../../common/key-groups.ts';
import { readVarint, writeVarint, type ReadCursor } from '../../common/varint.ts';
import type { KeyWriter } from './snapshot/keyed-state-file.ts';

/** First byte of metadata keys (the state id registry); state keys start below 0x80. */
export const META_PREFIX = 0xff;

/** Largest state id: ids are stored as uint16. */
export const MAX_STATE_ID = 0xffff;

const TAG_STRING = 0x01;
const TAG_NUMBER = 0x02;
const TAG_ARRAY = 0x03;

/** Strings up to this many UTF-16 units take at most 127 UTF-8 bytes: a one-byte length. */
const SHORT_STRING_UNITS = 42;

/** The parts of a decoded state key. */
export interface DecodedStateKey {
  readonly keyGroup: number;
  readonly stateId: number;
  readonly key: KeyValue;
  readonly namespace: string;
  /** The timer timestamp, or undefined when the user key is empty. */
  readonly userKey: number | undefined;
}

/**
 * Encodes state keys into a scratch buffer it reuses, so that a cache miss allocates nothing but
 * the view it passes to `getSync`; or, after `prepare`, straight into a caller's buffer (as a
 * `KeyWriter`, for a change set's entries). Not shared between concurrent users.
 */
export class StateKeyEncoder implements KeyWriter {
  private buf = Buffer.allocUnsafe(256);
  private keyGroup = 0;
  private stateId = 0;
  private key: KeyValue = 0;
  private namespace = '';
  private userKey: number | undefined = undefined;

  /** Encodes a state key; the returned view is valid until the next call. */
  encode(keyGroup: number, stateId: number, key: KeyValue, namespace: string, userKey: number | undefined): Uint8Array {
    this.prepare(keyGroup, stateId, key, namespace, userKey);
    const bound = this.keyBound;
    if (bound > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(bound, this.buf.length * 2));
    return this.buf.subarray(0, this.writeKey(this.buf, 0));
  }

  /** Encodes a state key into bytes the caller owns (for batch operations). */
  encodeCopy(keyGroup: number, stateId: number, key: KeyValue, namespace: string, userKey: number | undefined): Uint8Array {
    return Uint8Array.prototype.slice.call(this.encode(keyGroup, stateId, key, namespace, userKey));
  }

  /** Sets the key that `keyBound` and `writeKey` are about; returns the encoder. */
  prepare(keyGroup: number, stateId: number, key: KeyValue, namespace: string, userKey: number | undefined): this {
    this.keyGroup = keyGroup;
    this.stateId = stateId;
    this.key = key;
    this.namespace = namespace;
    this.userKey = userKey;
    return this;
  }

  get keyBound(): number {
    return 4 + keyBound(this.key) + 5 + this.namespace.length * 3 + 8;
  }

  writeKey(buf: Buffer, offset: number): number {
    const { keyGroup, stateId } = this;
    buf[offset] = keyGroup >>> 8;
    buf[offset + 1] = keyGroup & 0xff;
    buf[offset + 2] = stateId >>> 8;
    buf[offset + 3] = stateId & 0xff;
    let at = writeKey(buf, offset + 4, this.key);
    at = writeString(buf, at, this.namespace);
    if (this.userKey !== undefined) {
      writeSortableDouble(buf, at, this.userKey);
      at += 8;
    }
    return at;
  }
}

/** An upper bound of a key's encoded length. */
function keyBound(key: KeyValue): number {
  if (typeof key === 'string') return 6 + key.length * 3;
  if (typeof key === 'number') return 9;
  let bound = 6;
  for (const element of key) bound += keyBound(element);
  return bound;
}

function writeKey(buf: Buffer, offset: number, key: KeyValue): number {
  if (typeof key === 'string') {
    buf[offset] = TAG_STRING;
    return writeString(buf, offset + 1, key);
  }
  if (typeof key === 'number') {
    buf[offset] = TAG_NUMBER;
    // `+ 0` turns -0 into 0: both are the same key (same hash, same cache string).
    buf.writeDoubleBE(key + 0, offset + 1);
    return offset + 9;
  }
  buf[offset] = TAG_ARRAY;
  let at = writeVarint(buf, offset + 1, key.length);
  for (const element of key) at = writeKey(buf, at, element);
  return at;
}

function writeString(buf: Buffer, offset: number, s: string): number {
  if (s.length <= SHORT_STRING_UNITS) {
    // ASCII (window namespaces, most keys) is copied here: cheaper than a call into `write`.
    const length = s.length;
    let i = 0;
    for (; i < length; i++) {
      const unit = s.charCodeAt(i);
      if (unit >= 0x80) break;
      buf[offset + 1 + i] = unit;
    }
    if (i === length) {
      buf[offset] = length;
      return offset + 1 + length;
    }
    const written = buf.write(s, offset + 1, 'utf8');
    buf[offset] = written;
    return offset + 1 + written;
  }
  const at = writeVarint(buf, offset, Buffer.byteLength(s, 'utf8'));
  return at + buf.write(s, at, 'utf8');
}

const doubleScratch = new DataView(new ArrayBuffer(8));

/** Writes a double so that unsigned byte order equals numeric order (for timer timestamps). */
function writeSortableDouble(buf: Uint8Array, offset: number, value: number): void {
  doubleScratch.setFloat64(0, value + 0);
  const negative = (doubleScratch.getUint8(0) & 0x80) !== 0;
  for (let i = 0; i < 8; i++) {
    const b = doubleScratch.getUint8(i);
    buf[offset + i] = negative ? ~b & 0xff : i === 0 ? b | 0x80 : b;
  }
}

function readSortableDouble(bytes: Uint8Array, offset: number): number {
  const negative = ((bytes[offset] ?? 0) & 0x80) === 0;
  for (let i = 0; i < 8; i++) {
    const b = bytes[offset + i] ?? 0;
    doubleScratch.setUint8(i, negative ? ~b & 0xff : i === 0 ? b & 0x7f : b);
  }
  return doubleScratch.getFloat64(0);
}

/** Decodes a state key written by `StateKeyEncoder` (for tests, restore and diagnostics). */
export function decodeStateKey(bytes: Uint8Array): DecodedStateKey {
  if (bytes.length < 4 || (bytes[0] ?? 0) >= 0x80) throw new Error('not a state key');
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = { at: 4 };
  const key = readKey(view, reader);
  const namespace = readString(view, reader);
  let userKey: number | undefined;
  if (reader.at === view.length - 8) userKey = readSortableDouble(view, reader.at);
  else if (reader.at !== view.length) throw new Error('state key has trailing bytes');
  return { keyGroup: view.readUInt16BE(0), stateId: view.readUInt16BE(2), key, namespace, userKey };
}

/** The namespace of a state key, without decoding its key. */
export function decodeNamespace(bytes: Uint8Array): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = { at: 4 };
  skipKey(view, reader);
  return readString(view, reader);
}

function skipKey(view: Buffer, reader: ReadCursor): void {
  const tag = view[reader.at++];
  if (tag === TAG_STRING) {
    const length = readLength(view, reader);
    reader.at += length;
  } else if (tag === TAG_NUMBER) reader.at += 8;
  else if (tag === TAG_ARRAY) {
    const count = readLength(view, reader);
    for (let i = 0; i < count; i++) skipKey(view, reader);
  } else throw new Error(`unknown key tag ${String(tag)}`);
}

function readKey(view: Buffer, reader: ReadCursor): KeyValue {
  const tag = view[reader.at++];
  if (tag === TAG_STRING) return readString(view, reader);
  if (tag === TAG_NUMBER) {
    const value = view.readDoubleBE(reader.at);
    reader.at += 8;
    return value;
  }
  if (tag === TAG_ARRAY) {
    const count = readLength(view, reader);
    const elements: KeyValue[] = [];
    for (let i = 0; i < count; i++) elements.push(readKey(view, reader));
    return elements;
  }
  throw new Error(`unknown key tag ${String(tag)}`);
}

function readString(view: Buffer, reader: ReadCursor): string {
  const length = readLength(view, reader);
  const end = reader.at + length;
  if (end > view.length) throw new Error('state key is truncated');
  const s = view.toString('utf8', reader.at, end);
  reader.at = end;
  return s;
}

/** Reads a length or count of a state key; throws when the key ends inside it. */
function readLength(view: Buffer, reader: ReadCursor): number {
  const value = readVarint(view, reader);
  if (value < 0) throw new Error('state key is truncated');
  return value;
}

/** A [gte, lt) byte range of the state database. */
export interface ByteRange {
  readonly gte: Uint8Array;
  readonly lt: Uint8Array;
}

/** The byte range holding every state key of a key-group range (all operators, all states). */
export function keyGroupRangeBytes(range: KeyGroupRange): ByteRange {
  return { gte: stateKeyPrefix(range.start), lt: stateKeyPrefix(range.end + 1) };
}

/** The byte range holding one state's keys in one key group. */
export function stateInKeyGroupBytes(keyGroup: number, stateId: number): ByteRange {
  return {
    gte: stateKeyPrefix(keyGroup, stateId),
    lt: stateId === MAX_STATE_ID ? stateKeyPrefix(keyGroup + 1) : stateKeyPrefix(keyGroup, stateId + 1),
  };
}

/** The key-group and state-id prefix `[key group][state id]`; state id 0 when omitted. */
export function stateKeyPrefix(keyGroup: number, stateId = 0): Uint8Array {
  return Uint8Array.of(keyGroup >>> 8, keyGroup & 0xff, stateId >>> 8, stateId & 0xff);
}

/** Reads the key group and state id of a state key. */
export function keyGroupAndStateId(bytes: Uint8Array): { keyGroup: number; stateId: number } {
  return { keyGroup: ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0), stateId: ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0) };
}

/**
 * The identity of a key in in-memory maps (the write-back cache, the timer index): distinct keys
 * give distinct ids. A number is its own id (-0 as 0) and a string too, so that the per-record
 * path allocates nothing and V8 hashes a number or reuses a string's cached hash. A tuple's id is
 * a string that starts with U+0000 U+0001; a string key that starts with U+0000 gets one more in
 * front, so that it can never look like a tuple's.
 */
export type KeyId = string | number;

/** See `KeyId`. */
export function keyId(key: KeyValue): KeyId {
  if (typeof key === 'number') return key + 0;
  if (typeof key === 'string') return key.charCodeAt(0) === 0 ? `\u0000${key}` : key;
  return `\u0000\u0001${tupleId(key)}`;
}

/** A self-delimiting string of a tuple: strings are length-prefixed, numbers end with ';'. */
function tupleId(key: readonly KeyValue[]): string {
  let s = '[';
  for (const element of key) {
    if (typeof element === 'string') s += `${element.length}'${element}`;
    else if (typeof element === 'number') s += `#${element + 0};`;
    else s += tupleId(element);
  }
  return `${s}]`;
}
