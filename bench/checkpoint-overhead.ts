/**
 * Checkpoint overhead: the throughput of the window-count job (datagen p=2 → keyBy → 1 s tumbling
 * window count in LevelDB → counting sink, on 2 TaskManagers with 1 slot each) with a checkpoint
 * every second, divided by its throughput without checkpoints, for the same event count. Both
 * configurations run `BENCH_PAIRS` times (default 3), alternating (off, on, off, on, ...), each on
 * a fresh cluster in this one process.
 *
 * The result is the best checkpointed run's throughput over the best plain run's: on a small
 * shared machine a run's throughput varies by ±25% with what else the host does, and the best run
 * of each is the least disturbed. The ratio of the means and each pair's ratio are reported too.
 *
 * Throughput is events over submission-to-FINISHED time (as in bench/window-count.ts), so it
 * includes deployment and, with checkpoints, the final checkpoint a bounded job takes before it
 * ends. Also reports how many checkpoints completed in each checkpointed run, and the last one's
 * duration and sizes.
 *
 * Target: checkpointed / plain ≥ 0.90.
 *
 * Run with `node bin/run-ts.js bench/checkpoint-overhead.ts`; `BENCH_RECORDS` sets the event count
 * per run (default 40 M: five seconds or more, several checkpoints per run), `BENCH_CHECKPOINT_MS` the checkpoint
 * interval (default 1000), `BENCH_PAIRS` the runs of each configuration.
 */
import type { JobRun } from './support/harness.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 40_000_000);
const CHECKPOINT_MS = envInt('BENCH_CHECKPOINT_MS', 1_000);
const PAIRS = envInt('BENCH_PAIRS', 3);
const PARALLELISM = 2;
const TARGET_RATIO = 0.9;

/** Runs the window-count job once, with or without periodic checkpoints. */
async function runOnce(checkpointed: boolean): Promise<JobRun> {
  const run = await runJobOnCluster({
    cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
    job: benchJob('window-count'),
    parallelism: PARALLELISM,
    args: { count: String(RECORDS) },
    timeoutMs: 600_000,
    submit: checkpointed ? { settings: { checkpointIntervalMs: CHECKPOINT_MS } } : undefined,
  });
  if (run.checksum !== RECORDS) throw new Error(`the job counted ${run.checksum} events, expected ${RECORDS}`);
  const completed = run.status.checkpoints?.completed ?? 0;
  log(
    `${checkpointed ? 'checkpointed' : 'plain'}: ${round(eventsPerSec(run.wallMs))} events/s over ${round(run.wallMs)} ms, ${completed} checkpoints completed`,
  );
  return run;
}

function eventsPerSec(ms: number): number {
  return (RECORDS / ms) * 1000;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const plain: JobRun[] = [];
const checkpointed: JobRun[] = [];
for (let i = 0; i < PAIRS; i++) {
  plain.push(await runOnce(false));
  checkpointed.push(await runOnce(true));
}

const plainRates = plain.map((r) => eventsPerSec(r.wallMs));
const checkpointedRates = checkpointed.map((r) => eventsPerSec(r.wallMs));
const ratio = Math.max(...checkpointedRates) / Math.max(...plainRates);

emit({
  bench: 'checkpoint-overhead',
  events: RECORDS,
  parallelism: PARALLELISM,
  checkpointIntervalMs: CHECKPOINT_MS,
  plainEventsPerSec: round(Math.max(...plainRates)),
  checkpointedEventsPerSec: round(Math.max(...checkpointedRates)),
  ratio: round(ratio, 4),
  meanRatio: round(mean(checkpointedRates) / mean(plainRates), 4),
  pairRatios: checkpointedRates.map((rate, i) => round(rate / plainRates[i]!, 4)),
  targetRatio: TARGET_RATIO,
  met: ratio >= TARGET_RATIO,
  checkpointsCompleted: checkpointed.map((r) => r.status.checkpoints?.completed ?? 0),
  checkpointsFailed: checkpointed.map((r) => r.status.checkpoints?.failed ?? 0),
  lastCheckpoint: lastCheckpoint(checkpointed[checkpointed.length - 1]!),
  plainWallMs: plain.map((r) => round(r.wallMs)),
  checkpointedWallMs: checkpointed.map((r) => round(r.wallMs)),
});

/** Duration and size of the last completed checkpoint of a run, for context. */
function lastCheckpoint(run: JobRun): Record<string, number> | undefined {
  const latest = run.status.checkpoints?.latest;
  if (!latest) return undefined;
  return { id: Number(latest.id), durationMs: round(latest.durationMs), sizeBytes: latest.sizeBytes, incrementalBytes: latest.incrementalBytes };
}
