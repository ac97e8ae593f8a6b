/**
 * Key groups, computed exactly like Apache Flink's `KeyGroupRangeAssignment` so that users can
 * reproduce which key group and which subtask a key is routed to (and so that the assignment is
 * stable across releases: it decides where keyed state lives).
 *
 * A key is hashed to a Java `int` (`String.hashCode`, `Long.hashCode` or `List.hashCode`), mixed
 * with Flink's `MathUtils.murmurHash`, and reduced modulo the maximum parallelism to a key group.
 * Key groups are then split into contiguous ranges, one per parallel operator instance.
 */
import type { KeyGroupRange__Output } from '../proto/generated/sluice/checkpoint/KeyGroupRange.ts';

/**
 * An inclusive range of key groups, `[start, end]`: the key groups one subtask owns. It is the
 * `KeyGroupRange` message of proto/checkpoint.proto, so the public API, the state backend and the
 * checkpoint contracts share one shape.
 */
export type KeyGroupRange = Readonly<KeyGroupRange__Output>;

/**
 * A routing key: a string, a safe integer (hashed like a Java `long`) or an array of keys (hashed
 * like a Java `List`), so that composite keys need no string concatenation.
 */
export type KeyValue = string | number | readonly KeyValue[];

/** Extracts the key a keyed stream is partitioned by. */
export type KeySelector<T> = (value: T) => KeyValue;

/** Flink's default lower bound for the maximum parallelism (number of key groups). */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;

/** Flink's upper bound for the maximum parallelism: key groups are numbered in 15 bits. */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

const TWO_POW_32 = 0x1_0000_0000;

/**
 * Hashes a key to a Java `int` (a number in [-2^31, 2^31 - 1]), exactly like the JVM would hash
 * the corresponding `String`, `Long` or `List`. Throws a `TypeError` for any other value.
 */
export function hashKey(key: KeyValue): number {
  if (typeof key === 'string') return hashString(key);
  if (typeof key === 'number' && Number.isSafeInteger(key)) return hashSafeInteger(key);
  if (Array.isArray(key)) {
    let h = 1;
    for (const element of key as readonly KeyValue[]) h = (Math.imul(31, h) + hashKey(element)) | 0;
    return h;
  }
  throw new TypeError(`key must be a string, a safe integer or an array of keys; got ${describe(key)}`);
}

/** Java `String.hashCode`: over UTF-16 code units, so surrogate pairs count as two units. */
function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Java `Long.hashCode`: `(int) (value ^ (value >>> 32))` on the 64-bit two's complement value,
 * computed from its two 32-bit words without BigInt. Dividing by 2^32 is exact in binary floating
 * point, so `floor` yields the signed high word; `>>> 0` yields the low word modulo 2^32.
 */
function hashSafeInteger(value: number): number {
  const high = Math.floor(value / TWO_POW_32);
  const low = value >>> 0;
  return (high ^ low) | 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? `${value} (number, not a safe integer)` : `${value} (number)`;
    case 'boolean':
    case 'bigint':
      return `${String(value)} (${typeof value})`;
    case 'symbol':
      return `${value.toString()} (symbol)`;
    case 'function':
      return 'a function';
    default: {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof name === 'string' && name !== '' ? `an object (${name})` : 'an object';
    }
  }
}

/** Flink's `MathUtils.murmurHash(int)`: spreads a Java hash code; the result is never negative. */
export function murmurHash(code: number): number {
  let h = Math.imul(code | 0, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  return h !== -0x8000_0000 ? -h : 0;
}

/**
 * The key group of a key, in [0, maxParallelism). Hot path: `maxParallelism` is not validated
 * here; check it once with `validateMaxParallelism`.
 */
export function assignToKeyGroup(key: KeyValue, maxParallelism: number): number {
  return computeKeyGroupForKeyHash(hashKey(key), maxParallelism);
}

/** The key group of an already computed key hash (a Java `int`), in [0, maxParallelism). */
export function computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
  return murmurHash(keyHash) % maxParallelism;
}

/** The index of the parallel operator instance that owns a key group. */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The index of the parallel operator instance that a key is routed to. */
export function assignKeyToParallelOperator(key: KeyValue, maxParallelism: number, parallelism: number): number {
  return computeOperatorIndexForKeyGroup(maxParallelism, parallelism, assignToKeyGroup(key, maxParallelism));
}

/**
 * The key groups owned by one parallel operator instance, as an inclusive range. The ranges of
 * all instances are contiguous and cover [0, maxParallelism - 1] exactly once.
 */
export function keyGroupRangeForOperator(
  maxParallelism: number,
  parallelism: number,
  operatorIndex: number,
): KeyGroupRange {
  validateMaxParallelism(maxParallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > maxParallelism) {
    throw new Error(`parallelism must be an integer in [1, ${maxParallelism}] (the max parallelism); got ${String(parallelism)}`);
  }
  if (!Number.isInteger(operatorIndex) || operatorIndex < 0 || operatorIndex >= parallelism) {
    throw new Error(`operator index must be an integer in [0, ${parallelism - 1}]; got ${String(operatorIndex)}`);
  }
  return {
    start: Math.ceil((operatorIndex * maxParallelism) / parallelism),
    end: Math.ceil(((operatorIndex + 1) * maxParallelism) / parallelism) - 1,
  };
}

/**
 * Flink's default maximum parallelism for an operator: 1.5 × parallelism rounded up to a power
 * of two, bounded to [128, 32768], which leaves room to rescale without moving every key.
 */
export function defaultMaxParallelism(parallelism: number): number {
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new Error(`parallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}]; got ${String(parallelism)}`);
  }
  const wanted = roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2));
  return Math.min(Math.max(wanted, DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}

/** The smallest power of two >= x, for 1 <= x <= 2^30. */
function roundUpToPowerOfTwo(x: number): number {
  return 1 << (32 - Math.clz32(x - 1));
}

/** Rejects a maximum parallelism that Flink would reject: it must be an integer in [1, 32768]. */
export function validateMaxParallelism(maxParallelism: number): void {
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new Error(
      `max parallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}]; got ${String(maxParallelism)}`,
    );
  }
}
