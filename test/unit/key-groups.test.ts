/**
 * Key groups must match Flink bit for bit. The expected values below were printed by a small Java 17
 * program calling `String.hashCode`, `Long.hashCode`, `Arrays.hashCode`/`List.hashCode` and a copy
 * of Flink's `MathUtils.murmurHash` and `KeyGroupRangeAssignment` formulas.
 */
import { describe, expect, it } from 'vitest';
import {
  assignKeyToParallelOperator,
  assignToKeyGroup,
  computeKeyGroupForKeyHash,
  computeOperatorIndexForKeyGroup,
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
  defaultMaxParallelism,
  hashKey,
  keyGroupRangeForOperator,
  type KeyValue,
  murmurHash,
  UPPER_BOUND_MAX_PARALLELISM,
  validateMaxParallelism,
} from '../../common/key-groups.ts';

describe('hashKey', () => {
  it.each<[string, number]>([
    ['', 0],
    ['a', 97],
    ['hello', 99162322],
    ['\u00dcn\u00efc\u00f6d\u00e9', 1055431381],
    ['\u{1F600} smile \u{1F389}', -1819358974],
    ['key-17', -1134722988],
    ['user-123', -267697872],
    ['polygenelubricants', -2147483648],
    ['The quick brown fox jumps over the lazy dog', -609428141],
  ])('hashes string %j like String.hashCode', (key, expected) => {
    expect(hashKey(key)).toBe(expected);
  });

  it.each<[number, number]>([
    [0, 0],
    [1, 1],
    [-1, 0],
    [42, 42],
    [2 ** 31, -2147483648],
    [-(2 ** 31), 2147483647],
    [2 ** 32 - 1, -1],
    [2 ** 32, 1],
    [-(2 ** 32), -1],
    [2 ** 32 + 5, 4],
    [-(2 ** 40), -256],
    [123456789012345, -2045923535],
    [-123456789012345, -2045923536],
    [Number.MAX_SAFE_INTEGER, -2097152],
    [Number.MIN_SAFE_INTEGER, -2097151],
  ])('hashes integer %d like Long.hashCode', (key, expected) => {
    expect(hashKey(key)).toBe(expected);
  });

  it('agrees with a BigInt reference implementation of Long.hashCode', () => {
    const reference = (value: number): number => {
      const bits = BigInt.asUintN(64, BigInt(value));
      return Number(BigInt.asIntN(32, bits ^ (bits >> 32n)));
    };
    const samples = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 52, -(2 ** 52) + 3, 0xdead_beef_cafe, -0xdead_beef_cafe];
    for (let i = 0; i < 1000; i++) {
      const magnitude = Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
      samples.push(i % 2 === 0 ? magnitude : -magnitude);
    }
    for (const value of samples) expect(hashKey(value), String(value)).toBe(reference(value));
  });

  it.each<[string, KeyValue, number]>([
    ['["a", 1]', ['a', 1], 3969],
    ['[]', [], 1],
    ['[[]]', [[]], 32],
    ['["hello", ["key-17", -1], 42]', ['hello', ['key-17', -1], 42], 1258672270],
  ])('hashes array %s like List.hashCode', (_name, key, expected) => {
    expect(hashKey(key)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [1.5, 'got 1.5 (number)'],
    [Number.NaN, 'got NaN (number)'],
    [Number.POSITIVE_INFINITY, 'got Infinity (number)'],
    [2 ** 53, 'got 9007199254740992 (number, not a safe integer)'],
    [true, 'got true (boolean)'],
    [10n, 'got 10 (bigint)'],
    [null, 'got null'],
    [undefined, 'got undefined'],
    [{ a: 1 }, 'got an object (Object)'],
    [new Date(0), 'got an object (Date)'],
    [['ok', 0.5], 'got 0.5 (number)'],
  ])('rejects %o with a TypeError', (key, message) => {
    expect(() => hashKey(key as KeyValue)).toThrow(TypeError);
    expect(() => hashKey(key as KeyValue)).toThrow(
      `key must be a string, a safe integer or an array of keys; ${message}`,
    );
  });
});

describe('murmurHash', () => {
  it.each<[number, number]>([
    [0, 593689054],
    [1, 68075478],
    [-1, 1982413648],
    [-2147483648, 1718298732],
    [2147483647, 1653689534],
    [123456789, 1088346449],
    [99162322, 1715862179],
    [-1134722988, 1460463584],
  ])('murmurHash(%d) = %d', (code, expected) => {
    expect(murmurHash(code)).toBe(expected);
  });

  it('never returns a negative number', () => {
    for (let i = 0; i < 10_000; i++) {
      const code = (Math.random() * 2 ** 32) | 0;
      const h = murmurHash(code);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(h)).toBe(true);
    }
  });
});

describe('key group assignment', () => {
  it.each<[KeyValue, number]>([
    ['', 94],
    ['a', 81],
    ['hello', 35],
    ['\u00dcn\u00efc\u00f6d\u00e9', 63],
    ['\u{1F600} smile \u{1F389}', 114],
    ['key-17', 96],
    ['user-123', 68],
    ['polygenelubricants', 108],
    [0, 94],
    [1, 86],
    [42, 29],
    [2 ** 32 + 5, 7],
    [-(2 ** 40), 93],
    [Number.MAX_SAFE_INTEGER, 73],
    [Number.MIN_SAFE_INTEGER, 13],
  ])('assigns %j to key group %d of 128', (key, keyGroup) => {
    expect(assignToKeyGroup(key, 128)).toBe(keyGroup);
    expect(computeKeyGroupForKeyHash(hashKey(key), 128)).toBe(keyGroup);
  });

  it.each<[KeyValue, number, [number, number, number, number]]>([
    ['a', 81, [0, 1, 1, 2]],
    ['hello', 35, [0, 0, 0, 1]],
    ['key-17', 96, [0, 1, 2, 3]],
    ['user-123', 68, [0, 1, 1, 2]],
    [0, 94, [0, 1, 2, 2]],
    [42, 29, [0, 0, 0, 0]],
    [-1, 94, [0, 1, 2, 2]],
    [Number.MAX_SAFE_INTEGER, 73, [0, 1, 1, 2]],
  ])('routes %j (key group %d) to subtasks %j for parallelism 1..4', (key, keyGroup, subtasks) => {
    subtasks.forEach((subtask, i) => {
      const parallelism = i + 1;
      expect(computeOperatorIndexForKeyGroup(128, parallelism, keyGroup)).toBe(subtask);
      expect(assignKeyToParallelOperator(key, 128, parallelism)).toBe(subtask);
    });
  });
});

describe('defaultMaxParallelism', () => {
  it('exposes the Flink bounds', () => {
    expect(DEFAULT_LOWER_BOUND_MAX_PARALLELISM).toBe(128);
    expect(UPPER_BOUND_MAX_PARALLELISM).toBe(32768);
  });

  it.each<[number, number]>([
    [1, 128],
    [2, 128],
    [85, 128],
    [86, 256],
    [100, 256],
    [1000, 2048],
    [21845, 32768],
    [21846, 32768],
    [30000, 32768],
    [32768, 32768],
  ])('for parallelism %d is %d', (parallelism, expected) => {
    expect(defaultMaxParallelism(parallelism)).toBe(expected);
  });

  it.each([0, -1, 1.5, 32769, Number.NaN])('rejects parallelism %d', (parallelism) => {
    expect(() => defaultMaxParallelism(parallelism)).toThrow(/parallelism must be an integer in \[1, 32768\]/);
  });
});

describe('validateMaxParallelism', () => {
  it.each([1, 128, 32768])('accepts %d', (maxParallelism) => {
    expect(() => validateMaxParallelism(maxParallelism)).not.toThrow();
  });

  it.each([0, -128, 1.5, 32769, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (maxParallelism) => {
    expect(() => validateMaxParallelism(maxParallelism)).toThrow(/max parallelism must be an integer in \[1, 32768\]/);
  });
});

describe('keyGroupRangeForOperator', () => {
  it('matches hand-computed ranges', () => {
    expect(keyGroupRangeForOperator(128, 1, 0)).toEqual({ start: 0, end: 127 });
    expect(keyGroupRangeForOperator(128, 3, 0)).toEqual({ start: 0, end: 42 });
    expect(keyGroupRangeForOperator(128, 3, 1)).toEqual({ start: 43, end: 85 });
    expect(keyGroupRangeForOperator(128, 3, 2)).toEqual({ start: 86, end: 127 });
    expect(keyGroupRangeForOperator(10, 4, 1)).toEqual({ start: 3, end: 4 });
    expect(keyGroupRangeForOperator(5, 5, 4)).toEqual({ start: 4, end: 4 });
  });

  it.each<[number, number]>([
    [128, 1],
    [128, 2],
    [128, 3],
    [128, 4],
    [128, 7],
    [128, 128],
    [10, 4],
    [256, 100],
    [32768, 3],
    [32768, 1000],
  ])('covers [0, %d - 1] without gaps or overlaps for parallelism %d', (maxParallelism, parallelism) => {
    let next = 0;
    const misrouted: number[] = [];
    for (let index = 0; index < parallelism; index++) {
      const { start, end } = keyGroupRangeForOperator(maxParallelism, parallelism, index);
      expect(start).toBe(next);
      expect(end).toBeGreaterThanOrEqual(start);
      for (let keyGroup = start; keyGroup <= end; keyGroup++) {
        if (computeOperatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup) !== index) misrouted.push(keyGroup);
      }
      next = end + 1;
    }
    expect(next).toBe(maxParallelism);
    expect(misrouted).toEqual([]);
  });

  it('rejects invalid arguments', () => {
    expect(() => keyGroupRangeForOperator(0, 1, 0)).toThrow(/max parallelism/);
    expect(() => keyGroupRangeForOperator(128, 0, 0)).toThrow(/parallelism must be an integer in \[1, 128\]/);
    expect(() => keyGroupRangeForOperator(128, 129, 0)).toThrow(/parallelism must be an integer in \[1, 128\]/);
    expect(() => keyGroupRangeForOperator(128, 4, 4)).toThrow(/operator index must be an integer in \[0, 3\]/);
    expect(() => keyGroupRangeForOperator(128, 4, -1)).toThrow(/operator index/);
  });
});
