/**
 * Checkpoint size and duration with 1 M keys of keyed state (LevelDB), and the size of an
 * incremental checkpoint when 1% of the keys changed since the previous one. Runs on a real
 * cluster (2 TaskManagers × 1 slot, p=2) the job bench/jobs/checkpoint-size: a bounded `load`
 * source writes one ValueState entry per key (1 M keys), while an unbounded `updates` source
 * rewrites 1% of the keys per second (10 000 records/s, each a different key), with a checkpoint
 * every second and the default full-every of 10 (every 10th checkpoint full, the others deltas).
 *
 * Once the load source has finished, the first full checkpoint triggered after that holds all
 * 1 M keys: its size and duration are the "full" figures. The delta checkpoints that follow hold
 * only what changed since the previous checkpoint; the headline is the first of them whose
 * trigger came at most 1.5 intervals after the previous one (so ~1% of the keys changed), and the
 * result is its incremental bytes over the full checkpoint's bytes. Figures come from the
 * checkpoints' `_metadata` files (`sizeBytes`, `incrementalBytes`, `triggeredAt`, `completedAt`);
 * the job keeps every checkpoint (`retained`) so that they can be read at the end.
 *
 * Target: incremental ≤ 5% of full.
 *
 * Run with `node bin/run-ts.js bench/checkpoint-size.ts`. `BENCH_KEYS` sets the key count
 * (default 1 000 000), `BENCH_CHANGE_PER_MILLE` the share of keys changed per second in ‰
 * (default 10, i.e. 1%), `BENCH_CHECKPOINT_MS` the interval (default 1000), `BENCH_FULL_EVERY`
 * the full-every setting (default 10), `BENCH_DELTAS` how many deltas after the full one to wait
 * for (default 3).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkpointDirName, jobCheckpointRoot, readMetadata } from '../common/checkpoint/checkpoint-storage.ts';
import type { CheckpointMetadata } from '../common/checkpoint/checkpoint-types.ts';
import { MiniCluster } from '../test/support/mini-cluster.ts';
import { LOAD_SOURCE } from './jobs/checkpoint-size/pipeline.ts';
import { benchJob, emit, envInt, log, round } from './support/harness.ts';

const KEYS = envInt('BENCH_KEYS', 1_000_000);
const CHANGE_PER_MILLE = envInt('BENCH_CHANGE_PER_MILLE', 10);
const CHECKPOINT_MS = envInt('BENCH_CHECKPOINT_MS', 1_000);
const FULL_EVERY = envInt('BENCH_FULL_EVERY', 10);
const DELTAS = envInt('BENCH_DELTAS', 3);
const PARALLELISM = 2;
const TIMEOUT_MS = 110_000;
const TARGET_RATIO = 0.05;
/** Updates per second: the share of keys that changes within one checkpoint interval. */
const RATE = Math.max(1, Math.round(((KEYS * CHANGE_PER_MILLE) / 1000) * (1000 / CHECKPOINT_MS)));

/** One completed checkpoint, as its metadata tells. */
interface Checkpoint {
  readonly id: number;
  /** Whether it wrote full keyed state (every keyed handle starts over with a file of its own). */
  readonly full: boolean;
  readonly triggeredAt: number;
  readonly durationMs: number;
  readonly sizeBytes: number;
  readonly incrementalBytes: number;
}

/** Whether a checkpoint wrote full keyed-state files rather than deltas. */
function isFull(metadata: CheckpointMetadata): boolean {
  const written = metadata.operators.flatMap((op) => op.subtasks.flatMap((s) => (s.keyed?.files ?? []).filter((f) => f.checkpointId === metadata.checkpointId)));
  return written.length > 0 && written.every((f) => f.kind === 'FULL');
}

/** Every completed checkpoint under a job's checkpoint root, by id. */
async function readCheckpoints(jobRoot: string): Promise<Checkpoint[]> {
  let names: string[];
  try {
    names = readdirSync(jobRoot);
  } catch {
    return [];
  }
  const ids = names
    .map((n) => /^chk-(\d+)$/.exec(n)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const checkpoints: Checkpoint[] = [];
  for (const id of ids) {
    let metadata: CheckpointMetadata;
    try {
      metadata = (await readMetadata(join(jobRoot, checkpointDirName(id)))).metadata;
    } catch {
      continue; // in progress or aborted
    }
    checkpoints.push({
      id,
      full: isFull(metadata),
      triggeredAt: metadata.triggeredAt,
      durationMs: metadata.completedAt - metadata.triggeredAt,
      sizeBytes: metadata.sizeBytes,
      incrementalBytes: metadata.incrementalBytes,
    });
  }
  return checkpoints;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 1, logs: process.env.BENCH_LOGS ? 'inherit' : 'ignore' });
try {
  const jobId = await cluster.submit(
    benchJob('checkpoint-size'),
    PARALLELISM,
    { keys: String(KEYS), rate: String(RATE) },
    { settings: { checkpointIntervalMs: CHECKPOINT_MS, fullEvery: FULL_EVERY, retained: 10_000 } },
  );
  const submittedAt = Date.now();
  log(`submitted ${jobId}: ${KEYS} keys, then ${RATE} updates/s, checkpoints every ${CHECKPOINT_MS} ms, full every ${FULL_EVERY}`);
  let jobRoot = jobCheckpointRoot(join(cluster.local.dataDir, 'jobmanager', 'checkpoints'), jobId);

  // Phase 1: until every subtask of the load source has finished its input.
  let loadedAt = 0;
  let full: Checkpoint | undefined;
  let after: Checkpoint[] = [];
  for (;;) {
    if (Date.now() - submittedAt > TIMEOUT_MS) throw new Error(`timed out: loaded ${loadedAt > 0}, full checkpoint ${full?.id}, ${after.length} deltas after it`);
    const status = await cluster.client.status(jobId);
    if (status.state !== 'RUNNING') throw new Error(`job ${jobId} is ${status.state}: ${status.failure}`);
    const latestPath = status.checkpoints?.latest?.path;
    if (latestPath) jobRoot = dirname(dirname(latestPath));
    if (loadedAt === 0) {
      const load = status.tasks.filter((t) => t.vertexName === LOAD_SOURCE);
      if (load.length === 0) throw new Error(`no tasks named ${LOAD_SOURCE} in ${status.tasks.map((t) => t.vertexName).join(', ')}`);
      if (load.every((t) => t.state === 'FINISHING' || t.state === 'FINISHED')) {
        loadedAt = Date.now();
        log(`load finished after ${loadedAt - submittedAt} ms, ${status.checkpoints?.completed ?? 0} checkpoints completed so far`);
      }
    } else {
      // Phase 2: the first full checkpoint triggered after the load, then DELTAS checkpoints after it.
      const checkpoints = await readCheckpoints(jobRoot);
      full = checkpoints.find((c) => c.full && c.triggeredAt >= loadedAt);
      after = full ? checkpoints.filter((c) => c.id > full!.id) : [];
      if (full && after.length >= DELTAS) break;
    }
    await sleep(100);
  }
  await cluster.client.cancel(jobId).catch(() => undefined);

  const checkpoints = await readCheckpoints(jobRoot);
  for (const c of checkpoints) {
    log(`chk-${c.id} ${c.full ? 'full ' : 'delta'} duration ${c.durationMs} ms, size ${c.sizeBytes} B, incremental ${c.incrementalBytes} B${c.triggeredAt < loadedAt ? ' (during load)' : ''}`);
  }
  const byId = new Map(checkpoints.map((c) => [c.id, c]));
  const deltas = after.filter((c) => !c.full).map((c) => {
    const previous = byId.get(c.id - 1);
    const sincePreviousMs = previous ? c.triggeredAt - previous.triggeredAt : Number.NaN;
    return { ...c, sincePreviousMs, changedKeysEstimate: Math.min(KEYS, Math.round((RATE * sincePreviousMs) / 1000)) };
  });
  if (!full || deltas.length === 0) throw new Error('no full checkpoint after the load, or no delta after it');
  const headline = deltas.find((d) => d.sincePreviousMs <= 1.5 * CHECKPOINT_MS) ?? deltas[deltas.length - 1]!;
  const ratio = headline.incrementalBytes / full.sizeBytes;

  emit({
    bench: 'checkpoint-size',
    keys: KEYS,
    parallelism: PARALLELISM,
    checkpointIntervalMs: CHECKPOINT_MS,
    updatesPerSec: RATE,
    loadMs: loadedAt - submittedAt,
    fullCheckpointId: full.id,
    fullSizeBytes: full.sizeBytes,
    fullDurationMs: full.durationMs,
    incrementalCheckpointId: headline.id,
    incrementalBytes: headline.incrementalBytes,
    incrementalDurationMs: headline.durationMs,
    incrementalSizeBytes: headline.sizeBytes,
    changedKeysEstimate: headline.changedKeysEstimate,
    changedShareEstimate: round(headline.changedKeysEstimate / KEYS, 4),
    ratio: round(ratio, 4),
    targetRatio: TARGET_RATIO,
    met: ratio <= TARGET_RATIO,
    deltas: deltas.map((d) => ({ id: d.id, incrementalBytes: d.incrementalBytes, durationMs: d.durationMs, sincePreviousMs: d.sincePreviousMs })),
  });
} finally {
  await cluster.stop();
}
