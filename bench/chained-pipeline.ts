/**
 * Throughput of a chained pipeline on one TaskManager process: datagen → map → filter → counting
 * sink, all in one task at p=1, against a plain loop that generates the same records with the
 * same generator and applies the same functions. Prints one JSON line on stdout.
 *
 * The job's rate is taken from the sink's own clock readings (first record to end of the last
 * batch), so cluster start-up, bundling and deployment are excluded.
 *
 * Run with `node bin/run-ts.js bench/chained-pipeline.ts`; `BENCH_RECORDS` sets the count.
 */
import { SplitMixRandom } from '../connectors/datagen/split-mix-random.ts';
import { generatePurchase, keepPurchase, purchaseChecksum, SEED, toCents } from './jobs/chained-pipeline/pipeline.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 100_000_000);
const TARGET = 5_000_000;

/** The hand-written equivalent of the job. */
function baseline(count: number): { kept: number; checksum: number; ms: number } {
  const random = new SplitMixRandom(SEED);
  let kept = 0;
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    random.reset(i);
    const priced = toCents(generatePurchase(i, random));
    if (keepPurchase(priced)) {
      kept++;
      checksum += purchaseChecksum(priced);
    }
  }
  return { kept, checksum, ms: performance.now() - start };
}

const loop = baseline(RECORDS);
const baselineRecordsPerSec = (RECORDS / loop.ms) * 1000;
log(`baseline: ${RECORDS} records in ${round(loop.ms)} ms, ${loop.kept} kept`);

const run = await runJobOnCluster({
  cluster: { taskManagers: 1, slotsPerTaskManager: 1 },
  job: benchJob('chained-pipeline'),
  parallelism: 1,
  args: { count: String(RECORDS) },
  timeoutMs: 300_000,
});
const recordsPerSec = (RECORDS / run.spanMs) * 1000;
log(`job: ${run.count} kept, sink span ${round(run.spanMs)} ms, submit to finish ${round(run.wallMs)} ms`);
if (run.count !== loop.kept || run.checksum !== loop.checksum) {
  throw new Error(`job and loop disagree: kept ${run.count} vs ${loop.kept}, checksum ${run.checksum} vs ${loop.checksum}`);
}

emit({
  bench: 'chained-pipeline',
  records: RECORDS,
  recordsPerSec: round(recordsPerSec),
  baselineRecordsPerSec: round(baselineRecordsPerSec),
  ratio: round(recordsPerSec / baselineRecordsPerSec, 3),
  target: TARGET,
  met: recordsPerSec >= TARGET,
  kept: run.count,
  spanMs: round(run.spanMs),
  submitToFinishMs: round(run.wallMs),
});
