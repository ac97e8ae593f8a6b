/**
 * Compares candidate record codecs on ~32 KiB batches of flat and nested records, checks that
 * each one round-trips through a fresh decoder, and prints exactly one JSON line to stdout.
 *
 * Each candidate runs in its own child process (JIT feedback and msgpackr's module-level buffers
 * would otherwise leak from one candidate into the next), in several interleaved sweeps of
 * several rounds; the best round counts, which sheds noise from other load on the machine.
 *
 * Throughput (MB/s) is measured against the JSON size of the batch, so that a more compact
 * encoding is not penalised for writing fewer bytes; `recordsPerSec` is the encode + decode round
 * trip. Every candidate returns bytes the caller owns, as `RecordCodec.encodeBatch` must, so the
 * cost of that copy is included.
 *
 * Run with `node bin/run-ts.js bench/codec.ts`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Packr, Unpackr, pack, unpack } from 'msgpackr';
import { createRecordCodec } from '../common/codec.ts';

interface Candidate {
  readonly name: string;
  /** Creates an encoder and a decoder, like one `RecordCodec` per channel direction. */
  create(): { encode(records: readonly unknown[]): Uint8Array; decode(bytes: Uint8Array): unknown[] };
}

/** Best seconds per batch of one candidate on one dataset, as measured by a child process. */
interface Timing {
  codec: string;
  dataset: string;
  correct: boolean;
  batchRecords: number;
  jsonBytes: number;
  encodedBytes: number;
  encodeSeconds: number;
  decodeSeconds: number;
}

interface Result {
  codec: string;
  dataset: string;
  correct: boolean;
  batchRecords: number;
  jsonBytes: number;
  encodedBytes: number;
  encodeMBps: number;
  decodeMBps: number;
  recordsPerSec: number;
}

const CANDIDATE_ENV = 'SLUICE_BENCH_CODEC_CANDIDATE';
const TARGET_BATCH_BYTES = 32 * 1024;
const BATCHES_PER_DATASET = 16;
const SWEEPS = Number(process.env.BENCH_SWEEPS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 150);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 300);
/** Candidates within this factor of the fastest count as tied; the first listed (simplest) wins. */
const TIE_FACTOR = 0.95;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Copies a view into bytes the caller owns (`Buffer#slice` would return another view). */
const own = (view: Uint8Array): Uint8Array => new Uint8Array(view);

const candidates: readonly Candidate[] = [
  {
    name: 'json-buffer',
    create: () => ({
      encode: (records) => Buffer.from(JSON.stringify(records), 'utf8'),
      decode: (bytes) =>
        JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown[],
    }),
  },
  {
    name: 'json-textencoder',
    create: () => ({
      encode: (records) => utf8Encoder.encode(JSON.stringify(records)),
      decode: (bytes) => JSON.parse(utf8Decoder.decode(bytes)) as unknown[],
    }),
  },
  {
    name: 'msgpackr-plain',
    create: () => ({
      encode: (records) => own(pack(records)),
      decode: (bytes) => unpack(bytes) as unknown[],
    }),
  },
  {
    name: 'msgpackr-records',
    create: () => {
      const packr = new Packr({ useRecords: true });
      const unpackr = new Unpackr({ useRecords: true, mapsAsObjects: true });
      return {
        encode: (records) => own(packr.pack(records)),
        decode: (bytes) => unpackr.unpack(bytes) as unknown[],
      };
    },
  },
  {
    // `sequential` references structures of earlier messages, so a batch stays self-contained
    // only with a fresh Packr and Unpackr per batch.
    name: 'msgpackr-records-sequential',
    create: () => ({
      encode: (records) => own(new Packr({ useRecords: true, sequential: true }).pack(records)),
      decode: (bytes) =>
        new Unpackr({ useRecords: true, sequential: true, mapsAsObjects: true }).unpack(bytes) as unknown[],
    }),
  },
  {
    name: 'msgpackr-records-bundled',
    create: () => {
      const packr = new Packr({ useRecords: true, bundleStrings: true });
      const unpackr = new Unpackr({ useRecords: true, bundleStrings: true, mapsAsObjects: true });
      return {
        encode: (records) => own(packr.pack(records)),
        decode: (bytes) => unpackr.unpack(bytes) as unknown[],
      };
    },
  },
  {
    name: 'createRecordCodec',
    create: () => {
      const codec = createRecordCodec();
      return { encode: (records) => codec.encodeBatch(records), decode: (bytes) => codec.decodeBatch(bytes) };
    },
  },
];

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'Ünïcödé', 'text', 'some', 'stream'];
const word = (i: number): string => words[i % words.length] ?? '';

function flatRecord(i: number): unknown {
  return {
    key: `user-${(i * 7919) % 1000}`,
    value: (i * 31) % 100_000,
    ts: 1_700_000_000_000 + i * 17,
    name: `some text ${word(i)}`,
  };
}

function nestedRecord(i: number): unknown {
  return {
    key: `user-${(i * 7919) % 1000}`,
    ts: 1_700_000_000_000 + i * 17,
    user: { id: i, name: `${word(i)} ${word(i + 3)}`, tags: ['a', word(i * 7)], admin: i % 13 === 0 },
    metrics: { cpu: (i % 100) / 7, mem: 2 ** 33 + i, latencies: [i % 10, ((i * 3) % 1000) / 9, -i - 1] },
    parent: i % 4 === 0 ? null : { id: i - 1, kind: 'ref' },
  };
}

/** Builds batches whose JSON encoding is just under TARGET_BATCH_BYTES. */
function makeBatches(makeRecord: (i: number) => unknown): unknown[][] {
  const batches: unknown[][] = [];
  let i = 0;
  for (let b = 0; b < BATCHES_PER_DATASET; b++) {
    const batch: unknown[] = [];
    let size = 2;
    for (;;) {
      const record = makeRecord(i);
      const recordSize = Buffer.byteLength(JSON.stringify(record)) + 1;
      if (size + recordSize > TARGET_BATCH_BYTES) break;
      batch.push(record);
      size += recordSize;
      i++;
    }
    batches.push(batch);
  }
  return batches;
}

const datasets: ReadonlyArray<readonly [string, (i: number) => unknown]> = [
  ['flat', flatRecord],
  ['nested', nestedRecord],
];

let sink = 0;

/** Runs `op` over the batches for about `ms` milliseconds; returns the seconds per batch. */
function secondsPerBatch(batchCount: number, ms: number, op: (index: number) => void): number {
  const start = performance.now();
  let iterations = 0;
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 16; k++) op(iterations++ % batchCount);
    now = performance.now();
  }
  return (now - start) / 1000 / iterations;
}

/** Child process: measures one candidate on every dataset. */
function measureCandidate(candidate: Candidate): Timing[] {
  return datasets.map(([dataset, makeRecord]) => {
    const batches = makeBatches(makeRecord);
    const { encode, decode } = candidate.create();
    const encoded = batches.map((batch) => encode(batch));
    const correct = batches.every((batch, i) =>
      isDeepStrictEqual(candidate.create().decode(encoded[i] as Uint8Array), batch),
    );
    const encodeOp = (i: number): void => {
      sink += encode(batches[i] as unknown[]).byteLength;
    };
    const decodeOp = (i: number): void => {
      sink += decode(encoded[i] as Uint8Array).length;
    };
    secondsPerBatch(batches.length, WARMUP_MS, encodeOp);
    secondsPerBatch(batches.length, WARMUP_MS, decodeOp);
    let encodeSeconds = Number.POSITIVE_INFINITY;
    let decodeSeconds = Number.POSITIVE_INFINITY;
    for (let round = 0; round < ROUNDS; round++) {
      encodeSeconds = Math.min(encodeSeconds, secondsPerBatch(batches.length, ROUND_MS, encodeOp));
      decodeSeconds = Math.min(decodeSeconds, secondsPerBatch(batches.length, ROUND_MS, decodeOp));
    }
    const average = (values: readonly number[]): number => values.reduce((sum, x) => sum + x, 0) / values.length;
    return {
      codec: candidate.name,
      dataset,
      correct,
      batchRecords: average(batches.map((batch) => batch.length)),
      jsonBytes: average(batches.map((batch) => Buffer.byteLength(JSON.stringify(batch)))),
      encodedBytes: average(encoded.map((bytes) => bytes.byteLength)),
      encodeSeconds,
      decodeSeconds,
    };
  });
}

/** Parent process: runs every candidate in a child, several sweeps, keeping the best timings. */
function measureAll(): Timing[] {
  const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
  const self = fileURLToPath(import.meta.url);
  const best = new Map<string, Timing>();
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (const candidate of candidates) {
      const child = spawnSync(process.execPath, [runTs, self], {
        env: { ...process.env, [CANDIDATE_ENV]: candidate.name },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (child.status !== 0) throw new Error(`benchmark of ${candidate.name} failed with status ${String(child.status)}`);
      for (const timing of JSON.parse(child.stdout) as Timing[]) {
        const key = `${timing.codec}/${timing.dataset}`;
        const previous = best.get(key);
        best.set(key, {
          ...timing,
          correct: timing.correct && (previous?.correct ?? true),
          encodeSeconds: Math.min(timing.encodeSeconds, previous?.encodeSeconds ?? Number.POSITIVE_INFINITY),
          decodeSeconds: Math.min(timing.decodeSeconds, previous?.decodeSeconds ?? Number.POSITIVE_INFINITY),
        });
      }
    }
  }
  return [...best.values()];
}

function toResult(timing: Timing): Result {
  const round1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    codec: timing.codec,
    dataset: timing.dataset,
    correct: timing.correct,
    batchRecords: Math.round(timing.batchRecords),
    jsonBytes: Math.round(timing.jsonBytes),
    encodedBytes: Math.round(timing.encodedBytes),
    encodeMBps: round1(timing.jsonBytes / timing.encodeSeconds / 1e6),
    decodeMBps: round1(timing.jsonBytes / timing.decodeSeconds / 1e6),
    recordsPerSec: Math.round(timing.batchRecords / (timing.encodeSeconds + timing.decodeSeconds)),
  };
}

/**
 * The fastest correct candidate (other than our own codec, which wraps one of them), scored by
 * its worst round-trip speed-up over `json-buffer` across the datasets.
 */
function choose(results: readonly Result[]): string {
  const scored = candidates
    .filter((candidate) => candidate.name !== 'createRecordCodec')
    .map((candidate) => {
      const rows = results.filter((result) => result.codec === candidate.name);
      const speedups = rows.map((row) => {
        const baseline = results.find((result) => result.dataset === row.dataset && result.codec === 'json-buffer');
        return row.recordsPerSec / (baseline?.recordsPerSec ?? 1);
      });
      return { name: candidate.name, score: rows.every((row) => row.correct) ? Math.min(...speedups) : -1 };
    });
  const top = Math.max(...scored.map((candidate) => candidate.score));
  return scored.find((candidate) => candidate.score >= top * TIE_FACTOR)?.name ?? 'none';
}

const only = process.env[CANDIDATE_ENV];
if (only !== undefined) {
  const candidate = candidates.find((c) => c.name === only);
  if (!candidate) throw new Error(`unknown codec candidate ${only}`);
  const timings = measureCandidate(candidate);
  if (sink < 0) throw new Error('unreachable: keeps the measured work observable');
  process.stdout.write(JSON.stringify(timings));
} else {
  const results = measureAll().map(toResult);
  process.stdout.write(`${JSON.stringify({ bench: 'codec', chosen: choose(results), node: process.version, results })}\n`);
}
