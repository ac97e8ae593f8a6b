/**
 * Memory of the LevelDB keyed state backend as the key count grows: inserts `BENCH_STATE_KEYS`
 * (default 5 000 000) keys of a `ValueState<number>` with a fixed cache (`BENCH_STATE_CACHE`
 * entries, default 10 000), flushing whenever the backend asks, and reports resident memory and
 * heap at 1 M keys and at the end. Memory should follow the cache size, not the key count.
 * Prints one JSON line on stdout.
 *
 * Run with `node --expose-gc bin/run-ts.js bench/state-memory.ts` (figures are taken after a full
 * GC when `--expose-gc` is given; without it they include garbage).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValueStateDescriptor } from '../client/api/state.ts';
import { openTestKeyedState } from '../test/support/test-keyed-state.ts';
import { emit, envInt, log, round } from './support/harness.ts';

const KEYS = envInt('BENCH_STATE_KEYS', 5_000_000);
const CACHE_ENTRIES = envInt('BENCH_STATE_CACHE', 10_000);
const CHECKPOINT = Math.min(1_000_000, KEYS);
const MAX_PARALLELISM = 128;
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

interface MemorySample {
  keys: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
  cachedEntries: number;
  storedEntries: number;
  elapsedMs: number;
  keysPerSec: number;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

const keyed = await openTestKeyedState({ operatorId: 'bench', maxParallelism: MAX_PARALLELISM, keyGroupRange: { start: 0, end: MAX_PARALLELISM - 1 }, cacheEntries: CACHE_ENTRIES });
try {
  const backend = keyed.backend;
  await backend.open();
  const state = backend.getState(new ValueStateDescriptor<number>('value'));

  const sample = (keys: number, elapsedMs: number): MemorySample => {
    gc?.();
    const memory = process.memoryUsage();
    const stats = backend.stats();
    const result = {
      keys,
      rssMB: round(memory.rss / MB, 1),
      heapUsedMB: round(memory.heapUsed / MB, 1),
      externalMB: round(memory.external / MB, 1),
      cachedEntries: stats.cachedEntries,
      storedEntries: stats.storedEntries,
      elapsedMs: round(elapsedMs),
      keysPerSec: round((keys / elapsedMs) * 1000),
    };
    log(JSON.stringify(result));
    return result;
  };

  const baseline = sample(0, 1);
  const samples: MemorySample[] = [];
  const start = performance.now();
  for (let i = 0; i < KEYS; i++) {
    backend.setCurrentKey(`key-${i}`);
    state.update(i);
    if (backend.needsFlush) await backend.flush();
    if (i + 1 === CHECKPOINT || i + 1 === KEYS) {
      await backend.flush();
      samples.push(sample(i + 1, performance.now() - start));
    }
    if ((i + 1) % 500_000 === 0) log(`${i + 1} keys after ${round(performance.now() - start)} ms`);
  }
  const last = samples[samples.length - 1];
  emit({
    bench: 'state-memory',
    node: process.version,
    gcExposed: gc !== undefined,
    keys: KEYS,
    cacheEntries: CACHE_ENTRIES,
    baseline: { rssMB: baseline.rssMB, heapUsedMB: baseline.heapUsedMB },
    samples,
    keysPerSec: last?.keysPerSec,
    dbDiskMB: round(dirBytes(keyed.dir) / MB, 1),
  });
  await backend.close();
} finally {
  await keyed.dispose();
}
