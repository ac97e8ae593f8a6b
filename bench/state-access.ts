/**
 * Random read-modify-write of a keyed `ValueState<number>` through the LevelDB backend, with a
 * working set ten times the cache (so ~90% of accesses miss and read LevelDB with `getSync`), and
 * flushing whenever the backend asks, as the task does. Compared with the same work on a plain JS
 * Map. Prints one JSON line on stdout.
 *
 * Throughput runs untimed per op (flushes included); latency is then measured op by op with
 * `performance.now()` over a sample (flushes excluded from the per-op figures, reported apart).
 *
 * Run with `node bin/run-ts.js bench/state-access.ts`; `BENCH_STATE_KEYS`, `BENCH_STATE_CACHE`
 * and `BENCH_STATE_OPS` set the key count, the cache size in entries and the ops per phase.
 */
import { ValueStateDescriptor } from '../client/api/state.ts';
import { openTestKeyedState } from '../test/support/test-keyed-state.ts';
import { emit, envInt, log, round } from './support/harness.ts';

const KEYS = envInt('BENCH_STATE_KEYS', 100_000);
const CACHE_ENTRIES = envInt('BENCH_STATE_CACHE', 10_000);
const OPS = envInt('BENCH_STATE_OPS', 1_000_000);
const LATENCY_SAMPLE = Math.min(OPS, 200_000);
const MAX_PARALLELISM = 128;

const keys = Array.from({ length: KEYS }, (_, i) => `user-${i}`);

/** Key indexes in a fixed pseudo-random order (xorshift32), shared by both contenders. */
function keyOrder(count: number, seed: number): Uint32Array {
  const order = new Uint32Array(count);
  let x = seed;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    order[i] = (x >>> 0) % KEYS;
  }
  return order;
}

/** Percentiles in microseconds of per-op times in milliseconds. */
function percentiles(ms: Float64Array): { p50us: number; p99us: number; p999us: number; maxUs: number } {
  const sorted = Float64Array.from(ms).sort();
  const at = (q: number): number => round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 1000, 2);
  return { p50us: at(0.5), p99us: at(0.99), p999us: at(0.999), maxUs: round((sorted[sorted.length - 1] ?? 0) * 1000, 1) };
}

const keyed = await openTestKeyedState({ operatorId: 'bench', maxParallelism: MAX_PARALLELISM, keyGroupRange: { start: 0, end: MAX_PARALLELISM - 1 }, cacheEntries: CACHE_ENTRIES });
let sink = 0;
try {
  const backend = keyed.backend;
  await backend.open();
  const state = backend.getState(new ValueStateDescriptor<number>('count', { defaultValue: 0 }));

  let flushes = 0;
  let flushMs = 0;
  const flushIfNeeded = async (): Promise<void> => {
    if (!backend.needsFlush) return;
    const start = performance.now();
    await backend.flush();
    flushMs += performance.now() - start;
    flushes++;
  };

  const loadStart = performance.now();
  for (const key of keys) {
    backend.setCurrentKey(key);
    state.update(1);
    await flushIfNeeded();
  }
  await backend.flush();
  log(`loaded ${KEYS} keys in ${round(performance.now() - loadStart)} ms`);

  const rmw = (key: string): void => {
    backend.setCurrentKey(key);
    state.update((state.value() ?? 0) + 1);
  };

  const warm = keyOrder(Math.min(OPS, 200_000), 7);
  for (const i of warm) {
    rmw(keys[i] as string);
    await flushIfNeeded();
  }

  flushes = 0;
  flushMs = 0;
  const order = keyOrder(OPS, 12345);
  const start = performance.now();
  for (const i of order) {
    rmw(keys[i] as string);
    if (backend.needsFlush) await flushIfNeeded();
  }
  await flushIfNeeded();
  const backendMs = performance.now() - start;
  const throughputFlushes = { flushes, flushMsTotal: round(flushMs), flushMsMean: round(flushMs / Math.max(1, flushes), 2) };
  log(`backend: ${OPS} read-modify-writes in ${round(backendMs)} ms, ${flushes} flushes (${round(flushMs)} ms)`);

  const sample = keyOrder(LATENCY_SAMPLE, 999);
  const times = new Float64Array(LATENCY_SAMPLE);
  for (let n = 0; n < LATENCY_SAMPLE; n++) {
    const t0 = performance.now();
    rmw(keys[sample[n] as number] as string);
    times[n] = performance.now() - t0;
    await flushIfNeeded();
  }
  const backendLatency = percentiles(times);
  const stats = backend.stats();
  await backend.close();

  const map = new Map<string, number>();
  for (const key of keys) map.set(key, 1);
  const mapRmw = (key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  for (const i of warm) mapRmw(keys[i] as string);
  const mapStart = performance.now();
  for (const i of order) mapRmw(keys[i] as string);
  const mapMs = performance.now() - mapStart;
  for (let n = 0; n < LATENCY_SAMPLE; n++) {
    const t0 = performance.now();
    mapRmw(keys[sample[n] as number] as string);
    times[n] = performance.now() - t0;
  }
  const mapLatency = percentiles(times);
  for (const value of map.values()) sink += value;
  log(`map: ${OPS} read-modify-writes in ${round(mapMs)} ms`);

  const backendOpsPerSec = (OPS / backendMs) * 1000;
  const mapOpsPerSec = (OPS / mapMs) * 1000;
  emit({
    bench: 'state-access',
    node: process.version,
    keys: KEYS,
    cacheEntries: CACHE_ENTRIES,
    ops: OPS,
    latencySample: LATENCY_SAMPLE,
    backend: { opsPerSec: round(backendOpsPerSec), ...backendLatency, ...throughputFlushes, stats },
    map: { opsPerSec: round(mapOpsPerSec), ...mapLatency },
    mapOverBackend: round(mapOpsPerSec / backendOpsPerSec, 1),
  });
} finally {
  await keyed.dispose();
  if (sink < 0) log('unreachable: keeps the map work observable');
}
