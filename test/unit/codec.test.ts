import { describe, expect, it } from 'vitest';
import { pack } from 'msgpackr';
import { createRecordCodec } from '../../common/codec.ts';

function deeplyNested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) value = { level: i, child: value, siblings: [i, { i }] };
  return value;
}

const manyKeys = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, i % 3 === 0 ? `v${i}` : i]));

const mixedRecords: readonly unknown[] = [
  { key: 'user-123', value: 42, ts: 1_700_000_000_000, name: 'some text' },
  { key: 'user-124', value: -7, ts: 1_700_000_000_017, name: '' },
  { name: 'same keys, other order', key: 'user-125', ts: 0, value: 0 },
  {
    nested: { a: { b: { c: [1, 2, { d: 'deep' }] } } },
    list: [1, 'two', 3.5, null, true, false, [], {}, [[]], [{}]],
    empty: {},
    emptyList: [],
  },
  {
    ints: [0, 1, -1, 255, 256, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32],
    big: [2 ** 40 + 3, -(2 ** 40) - 3, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_700_000_000_000],
    floats: [0.1, -0.5, 3.141592653589793, 1e-300, 5e-324, 1.7976931348623157e308, -2.5e21, 2 ** 53 + 2],
  },
  {
    strings: ['', 'a', 'Ünïcödé', '日本語のテキスト', '😀 smile 🎉', 'e\u0301', 'tab\tnew\nline "quoted" \\ back', '\u0000nul'],
    long: 'x'.repeat(70_000),
    longUnicode: '€😀'.repeat(20_000),
  },
  { '': 'empty key', '1': 'numeric key', 'with space': 1, 'ünï': 2, '😀': 3, constructor: 'not special', toString: 'x' },
  manyKeys,
  deeplyNested(50),
  'a bare string record',
  12345,
  2.75,
  true,
  null,
  [1, ['nested', 'array', 'record']],
];

describe('RecordCodec', () => {
  it('round-trips mixed JSON-like records exactly', () => {
    const codec = createRecordCodec();
    const decoded = codec.decodeBatch(codec.encodeBatch(mixedRecords));
    expect(decoded).toStrictEqual(mixedRecords);
  });

  it('keeps integers as numbers, including those beyond 32 bits', () => {
    const codec = createRecordCodec();
    const values = [0, -1, 2 ** 32 + 5, -(2 ** 40), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const [decoded] = codec.decodeBatch(codec.encodeBatch([{ values }])) as [{ values: unknown[] }];
    expect(decoded.values).toStrictEqual(values);
    for (const value of decoded.values) expect(typeof value).toBe('number');
  });

  it('preserves the key order of every object', () => {
    const codec = createRecordCodec();
    const records = [
      { b: 1, a: 2, c: 3 },
      { a: 1, b: 2, c: 3 },
      { c: 1, b: 2, a: 3 },
      { b: 4, a: 5, c: 6 },
    ];
    const decoded = codec.decodeBatch(codec.encodeBatch(records));
    expect(decoded.map((record) => Object.keys(record as object))).toStrictEqual(records.map((record) => Object.keys(record)));
  });

  it('decodes plain objects with the ordinary Object prototype', () => {
    const codec = createRecordCodec();
    const [decoded] = codec.decodeBatch(codec.encodeBatch([{ a: 1 }]));
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('round-trips an empty batch', () => {
    const codec = createRecordCodec();
    expect(codec.decodeBatch(codec.encodeBatch([]))).toStrictEqual([]);
  });

  it('decodes a batch with a fresh codec instance', () => {
    const bytes = createRecordCodec().encodeBatch(mixedRecords);
    expect(createRecordCodec().decodeBatch(bytes)).toStrictEqual(mixedRecords);
  });

  it('decodes a batch that sits inside a larger buffer', () => {
    const bytes = createRecordCodec().encodeBatch(mixedRecords);
    const frame = new Uint8Array(bytes.byteLength + 13).fill(0xff);
    frame.set(bytes, 7);
    const decoded = createRecordCodec().decodeBatch(frame.subarray(7, 7 + bytes.byteLength));
    frame.fill(0);
    expect(decoded).toStrictEqual(mixedRecords);
  });

  describe('many batches in sequence', () => {
    const shapes: ReadonlyArray<(i: number) => unknown> = [
      (i) => ({ key: `user-${i}`, value: i, ts: 1_700_000_000_000 + i, name: 'some text' }),
      (i) => ({ id: i, tags: [`t${i % 3}`], meta: { shard: i % 4, ok: i % 2 === 0 } }),
      (i) => ({ [`dynamic${i % 50}`]: i, common: null }),
      (i) => [i, `item-${i}`],
    ];
    /** Batches whose shapes change from batch to batch, so that record ids get reused. */
    const batches: unknown[][] = Array.from({ length: 60 }, (_, b) =>
      Array.from({ length: 1 + ((b * 37) % 200) }, (_, i) => {
        const shape = shapes[(b + (i % (1 + (b % 4)))) % shapes.length] as (i: number) => unknown;
        return shape(b * 1000 + i);
      }),
    );

    it('are decoded by one long-lived decoder', () => {
      const encoder = createRecordCodec();
      const encoded = batches.map((batch) => encoder.encodeBatch(batch));
      const decoder = createRecordCodec();
      encoded.forEach((bytes, b) => expect(decoder.decodeBatch(bytes), `batch ${b}`).toStrictEqual(batches[b]));
    });

    it('are each decoded by a fresh decoder, in any order (a consumer may reconnect mid-stream)', () => {
      const encoder = createRecordCodec();
      const encoded = batches.map((batch) => encoder.encodeBatch(batch));
      for (let b = encoded.length - 1; b >= 0; b -= 3) {
        expect(createRecordCodec().decodeBatch(encoded[b] as Uint8Array), `batch ${b}`).toStrictEqual(batches[b]);
      }
    });

    it('are decoded by the same codec instance that encodes them', () => {
      const codec = createRecordCodec();
      for (const [b, batch] of batches.entries()) {
        expect(codec.decodeBatch(codec.encodeBatch(batch)), `batch ${b}`).toStrictEqual(batch);
      }
    });

    it('round-trip a batch with more distinct object shapes than fit in one-byte record ids', () => {
      const batch = Array.from({ length: 2000 }, (_, i) => ({ [`k${i}`]: i, common: 'x', nested: { [`n${i % 300}`]: [i] } }));
      const encoder = createRecordCodec();
      encoder.encodeBatch(batches[0] as unknown[]);
      const bytes = encoder.encodeBatch(batch);
      expect(createRecordCodec().decodeBatch(bytes)).toStrictEqual(batch);
    });
  });

  it('returns bytes that later encodes do not mutate', () => {
    const codec = createRecordCodec();
    const other = createRecordCodec();
    const first = codec.encodeBatch(mixedRecords);
    const snapshot = Uint8Array.from(first);
    for (let i = 0; i < 200; i++) {
      codec.encodeBatch([{ key: `user-${i}`, value: i, filler: 'y'.repeat(i * 50) }]);
      other.encodeBatch([{ another: i }]);
      pack({ unrelated: i });
    }
    expect(Buffer.compare(first, snapshot)).toBe(0);
    expect(createRecordCodec().decodeBatch(first)).toStrictEqual(mixedRecords);
  });

  it('returns bytes that own their whole ArrayBuffer, so they can be retained or transferred', () => {
    const codec = createRecordCodec();
    const first = codec.encodeBatch([{ a: 1 }]);
    const second = codec.encodeBatch([{ b: 2 }]);
    for (const bytes of [first, second]) {
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    }
    expect(first.buffer).not.toBe(second.buffer);
  });

  it('rejects bytes that do not hold a batch', () => {
    const codec = createRecordCodec();
    expect(() => codec.decodeBatch(pack({ not: 'a batch' }))).toThrow(/record batch must decode to an array; got object/);
    expect(() => codec.decodeBatch(pack(null))).toThrow(/got null/);
    expect(() => codec.decodeBatch(new Uint8Array([0xc1]))).toThrow();
    const truncated = codec.encodeBatch(mixedRecords);
    expect(() => codec.decodeBatch(truncated.subarray(0, truncated.byteLength - 5))).toThrow();
  });

  it('renames an own __proto__ key to __proto_ instead of touching the prototype (msgpackr guard)', () => {
    const codec = createRecordCodec();
    const record = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const [decoded] = codec.decodeBatch(codec.encodeBatch([record])) as [Record<string, unknown>];
    expect(decoded).toStrictEqual({ __proto_: { polluted: true }, a: 1 });
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
