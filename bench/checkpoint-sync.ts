/**
 * The synchronous phase of an incremental keyed-state snapshot under a window workload, on a real
 * LevelDB backend: each round opens two event-time windows of `BENCH_SYNC_KEYS` keys (a count in
 * aggregating state and a timer per key and window), fires the two oldest of the
 * `BENCH_SYNC_WINDOWS` live ones (clearing their state), then snapshots. So each snapshot records
 * the entries of the new windows and the deletes of the fired ones recorded earlier. The task
 * processes no record during this phase, so its cost is a pause at every checkpoint.
 *
 * Prints one JSON line: the mean sync-phase time per snapshot and per recorded entry.
 *
 * Run with `node bin/run-ts.js bench/checkpoint-sync.ts`; `BENCH_SYNC_KEYS` (default 5 000),
 * `BENCH_SYNC_WINDOWS` (default 6) and `BENCH_SYNC_ROUNDS` (default 40) set the workload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregatingStateDescriptor, type AggregateFunction } from '../client/api/state.ts';
import { keyGroupRangeForOperator } from '../common/key-groups.ts';
import { openTestKeyedState } from '../test/support/test-keyed-state.ts';
import { emit, envInt, log, round } from './support/harness.ts';

const KEYS = envInt('BENCH_SYNC_KEYS', 5_000);
const WINDOWS = envInt('BENCH_SYNC_WINDOWS', 6);
const ROUNDS = envInt('BENCH_SYNC_ROUNDS', 40);
/** Rounds not measured, so that the JIT has settled. */
const WARMUP = 5;
const WINDOW_MS = 1_000;
const NEW_PER_ROUND = 2;

const countEvents: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_event, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

const state = await openTestKeyedState({ maxParallelism: 128, keyGroupRange: keyGroupRangeForOperator(128, 1, 0), cacheEntries: 4 * KEYS * (WINDOWS + NEW_PER_ROUND) });
const root = mkdtempSync(join(tmpdir(), 'sluice-bench-sync-'));
try {
  const { backend, timers } = state;
  await backend.open();
  const counts = backend.getInternalAggregatingState(new AggregatingStateDescriptor('count', countEvents));
  const uploads: Promise<unknown>[] = [];
  let nextWindow = 0;
  let syncMs = 0;
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    for (let w = nextWindow; w < nextWindow + NEW_PER_ROUND; w++) {
      const namespace = `${w * WINDOW_MS}:${(w + 1) * WINDOW_MS}`;
      counts.setCurrentNamespace(namespace);
      for (let k = 0; k < KEYS; k++) {
        backend.setCurrentKey(k);
        counts.add(k);
        timers.registerEventTimeTimer(namespace, (w + 1) * WINDOW_MS - 1);
      }
    }
    nextWindow += NEW_PER_ROUND;
    timers.advanceWatermark((nextWindow - WINDOWS) * WINDOW_MS - 1, (timer) => {
      backend.setCurrentKey(timer.key);
      counts.setCurrentNamespace(timer.namespace);
      counts.clear();
    });
    const pending = backend.flushBehind();
    if (pending) await pending;
    const started = performance.now();
    const upload = await backend.snapshot({ checkpointId: r + 1, root, dir: 'shared', full: false });
    if (r >= WARMUP) syncMs += performance.now() - started;
    uploads.push(upload());
  }
  await Promise.all(uploads);
  // Per round: the new windows' counts and timers, and the deletes of the fired windows' ones.
  const entriesPerSnapshot = 2 * 2 * NEW_PER_ROUND * KEYS;
  const perSnapshotMs = syncMs / ROUNDS;
  log(`${ROUNDS} snapshots of ${entriesPerSnapshot} recorded entries each`);
  emit({
    bench: 'checkpoint-sync',
    keys: KEYS,
    liveWindows: WINDOWS,
    snapshots: ROUNDS,
    entriesPerSnapshot,
    syncMsPerSnapshot: round(perSnapshotMs, 2),
    syncNsPerEntry: round((perSnapshotMs * 1e6) / entriesPerSnapshot),
  });
} finally {
  await state.dispose();
  rmSync(root, { recursive: true, force: true });
}
