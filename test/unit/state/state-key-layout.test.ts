import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../../../common/key-groups.ts';
import {
  decodeStateKey,
  keyId,
  keyGroupRangeBytes,
  StateKeyEncoder,
  stateInKeyGroupBytes,
} from '../../../taskmanager/state/state-key-layout.ts';

const compare = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

describe('state key layout', () => {
  const encoder = new StateKeyEncoder();

  it.each<[KeyValue, string, number | undefined]>([
    ['user-1', '', undefined],
    [42, 'window-1', undefined],
    [-7, '', 1_700_000_000_000],
    [['a', 1, ['b', -2]], 'ns\u0000with-nul', -5.5],
    ['ü€😀'.repeat(30), 'ünïcode'.repeat(40), Number.POSITIVE_INFINITY],
    ['', '', 0],
  ])('round-trips key %j, namespace %j and user key %j', (key, namespace, userKey) => {
    const bytes = encoder.encodeCopy(300, 7, key, namespace, userKey);
    expect(decodeStateKey(bytes)).toEqual({ keyGroup: 300, stateId: 7, key, namespace, userKey });
  });

  it('keeps keys unambiguous: no encoded (key, namespace) is a prefix of another', () => {
    const pairs: [KeyValue, string][] = [
      ['a', 'b'],
      ['ab', ''],
      ['a', ''],
      [1, ''],
      ['1', ''],
      [['a'], 'b'],
      [['a', 'b'], ''],
    ];
    const encoded = pairs.map(([key, namespace]) => Buffer.from(encoder.encodeCopy(1, 1, key, namespace, undefined)));
    for (const [i, a] of encoded.entries()) {
      for (const [j, b] of encoded.entries()) {
        if (i !== j) expect(b.subarray(0, a.length).equals(a) && a.length <= b.length).toBe(false);
      }
    }
  });

  it('encodes -0 like 0', () => {
    expect(encoder.encodeCopy(1, 1, -0, '', -0)).toEqual(encoder.encodeCopy(1, 1, 0, '', 0));
    expect(keyId(-0)).toBe(keyId(0));
  });

  it('orders timer timestamps by byte order', () => {
    const times = [Number.NEGATIVE_INFINITY, -1e15, -3, -0.5, 0, 0.25, 1, 2, 1_700_000_000_000, Number.POSITIVE_INFINITY];
    const keys = times.map((t) => encoder.encodeCopy(5, 2, 'k', 'n', t));
    const sorted = [...keys].sort(compare);
    expect(sorted).toEqual(keys);
  });

  it('places a key-group range in one contiguous byte range', () => {
    const range = keyGroupRangeBytes({ start: 10, end: 20 });
    for (const keyGroup of [9, 10, 15, 20, 21]) {
      const key = encoder.encodeCopy(keyGroup, 65535, ['x'], 'ns', 99);
      const inside = compare(key, range.gte) >= 0 && compare(key, range.lt) < 0;
      expect(inside).toBe(keyGroup >= 10 && keyGroup <= 20);
    }
    const state = stateInKeyGroupBytes(15, 65535);
    const key = encoder.encodeCopy(15, 65535, 'k', '', undefined);
    expect(compare(key, state.gte) >= 0 && compare(key, state.lt) < 0).toBe(true);
  });

  it('gives distinct ids to distinct keys, and equal ids to equal keys', () => {
    const keys: KeyValue[] = ['1', 1, ['1'], [1], [['1']], ['1', '1'], ['11'], "1'1", '', [], '\u0000', '\u0000\u0001[]', [1, 1], [11]];
    const ids = keys.map(keyId);
    expect(new Set(ids).size).toBe(keys.length);
    expect(keys.map((key) => keyId(structuredClone(key)))).toEqual(ids);
  });
});
