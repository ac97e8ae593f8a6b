/**
 * Throughput of a keyed exchange between two TaskManager processes over gRPC: datagen (p=2) →
 * keyBy → counting sink (p=2) on 2 TaskManagers with 1 slot each, so that subtask i of both
 * vertices shares TaskManager i and about half of the records cross processes. Compared with a
 * single-process loop that generates the same records and routes each by key group into one of
 * two counters. Prints one JSON line on stdout.
 *
 * The job's rate is total records over the sinks' span (earliest first record to latest end of
 * batch), which excludes cluster start-up and deployment.
 *
 * Run with `node bin/run-ts.js bench/keyed-exchange.ts`; `BENCH_RECORDS` sets the count.
 */
import { assignToKeyGroup, computeOperatorIndexForKeyGroup, defaultMaxParallelism } from '../common/key-groups.ts';
import { SplitMixRandom } from '../connectors/datagen/split-mix-random.ts';
import { generateReading, readingChecksum, SEED, sensorOf } from './jobs/keyed-exchange/pipeline.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 25_000_000);
const PARALLELISM = 2;
const TARGET = 1_000_000;

/** The hand-written equivalent of the job: generate, hash to a key group and a subtask, count. */
function baseline(count: number): { buckets: number[]; checksums: number[]; ms: number } {
  const maxParallelism = defaultMaxParallelism(PARALLELISM);
  const random = new SplitMixRandom(SEED);
  const buckets = new Array<number>(PARALLELISM).fill(0);
  const checksums = new Array<number>(PARALLELISM).fill(0);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    random.reset(i);
    const reading = generateReading(i, random);
    const keyGroup = assignToKeyGroup(sensorOf(reading), maxParallelism);
    const subtask = computeOperatorIndexForKeyGroup(maxParallelism, PARALLELISM, keyGroup);
    buckets[subtask]!++;
    checksums[subtask]! += readingChecksum(reading);
  }
  return { buckets, checksums, ms: performance.now() - start };
}

const loop = baseline(RECORDS);
const baselineRecordsPerSec = (RECORDS / loop.ms) * 1000;
log(`baseline: ${RECORDS} records in ${round(loop.ms)} ms, per subtask ${loop.buckets.join('/')}`);

const run = await runJobOnCluster({
  cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
  job: benchJob('keyed-exchange'),
  parallelism: PARALLELISM,
  args: { count: String(RECORDS) },
  timeoutMs: 600_000,
});
const recordsPerSec = (RECORDS / run.spanMs) * 1000;
log(`job: per subtask ${run.results.map((r) => r.count).join('/')}, sink span ${round(run.spanMs)} ms, submit to finish ${round(run.wallMs)} ms`);
const agrees = run.results.length === PARALLELISM && run.results.every((r) => r.count === loop.buckets[r.subtask] && r.checksum === loop.checksums[r.subtask]);
if (!agrees) throw new Error(`job and loop disagree: job ${JSON.stringify(run.results.map((r) => [r.count, r.checksum]))}, loop ${JSON.stringify([loop.buckets, loop.checksums])}`);

emit({
  bench: 'keyed-exchange',
  records: RECORDS,
  recordsPerSec: round(recordsPerSec),
  baselineRecordsPerSec: round(baselineRecordsPerSec),
  ratio: round(recordsPerSec / baselineRecordsPerSec, 4),
  target: TARGET,
  met: recordsPerSec >= TARGET,
  perSubtask: run.results.map((r) => r.count),
  spanMs: round(run.spanMs),
  submitToFinishMs: round(run.wallMs),
});
