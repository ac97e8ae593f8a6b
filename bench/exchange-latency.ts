/**
 * Latency through a keyed exchange at a fixed rate: datagen rate-limited to 100 000 records/s in
 * total (p=2, each record stamped with its creation time) → keyBy → latency sink (p=2), on 2
 * TaskManagers with 1 slot each, so about half of the records cross processes. Each sink records
 * `now - created` per record in a bounded histogram; the histograms are merged here. Compared with
 * the same rate in one process: a timer-paced loop that generates what is due with the same rate
 * limiter and generator and hands each batch to the "sink" on the next event-loop turn.
 * Prints one JSON line on stdout.
 *
 * Records created in the first `BENCH_WARMUP_MS` after a sink's first record are not measured, in
 * the job and in the loop: producers may start before their consumers have subscribed.
 *
 * Run with `node bin/run-ts.js bench/exchange-latency.ts`; `BENCH_RECORDS`, `BENCH_RATE`,
 * `BENCH_WARMUP_MS` and `BENCH_BASELINE_RECORDS` override the defaults.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { RateLimiter } from '../connectors/datagen/rate-limiter.ts';
import { SplitMixRandom } from '../connectors/datagen/split-mix-random.ts';
import { generateTimedEvent, SEED, type TimedEvent } from './jobs/exchange-latency/pipeline.ts';
import { LatencyHistogram, type HistogramSnapshot } from './jobs/support/latency-histogram.ts';
import { wallClockMs } from './jobs/support/wall-clock.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 1_500_000);
const RATE = envInt('BENCH_RATE', 100_000);
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 1_000);
const BASELINE_RECORDS = envInt('BENCH_BASELINE_RECORDS', 500_000);
const PARALLELISM = 2;
const TARGET_P99_MS = 30;
/** Records the loop generates at most per turn, like a source poll. */
const POLL_RECORDS = 1024;

/** The hand-written equivalent: paced generation, one event-loop hop, latency per record. */
async function baseline(count: number): Promise<{ histogram: LatencyHistogram; ms: number }> {
  const histogram = new LatencyHistogram();
  const limiter = new RateLimiter(RATE);
  const random = new SplitMixRandom(SEED);
  let measureFrom = Number.POSITIVE_INFINITY;
  const start = performance.now();
  let i = 0;
  while (i < count) {
    const now = performance.now();
    const allowed = Math.min(limiter.allowance(now), POLL_RECORDS, count - i);
    if (allowed <= 0) {
      await sleep(limiter.delayMs(now));
      continue;
    }
    const batch: TimedEvent[] = [];
    for (let n = 0; n < allowed; n++, i++) {
      random.reset(i);
      batch.push(generateTimedEvent(i, random));
    }
    limiter.consume(allowed);
    await nextTurn();
    for (const event of batch) {
      const received = wallClockMs();
      if (measureFrom === Number.POSITIVE_INFINITY) measureFrom = event.created + WARMUP_MS;
      if (event.created >= measureFrom) histogram.record(received - event.created);
    }
  }
  return { histogram, ms: performance.now() - start };
}

const loop = await baseline(BASELINE_RECORDS);
const loopLatency = loop.histogram.summary();
log(`baseline: ${BASELINE_RECORDS} records in ${round(loop.ms)} ms, ${JSON.stringify(loopLatency)}`);

const run = await runJobOnCluster({
  cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
  job: benchJob('exchange-latency'),
  parallelism: PARALLELISM,
  args: { count: String(RECORDS), rate: String(RATE), warmup_ms: String(WARMUP_MS) },
  timeoutMs: ((RECORDS / RATE) * 1000) * 3 + 60_000,
});
const merged = new LatencyHistogram();
for (const r of run.results) merged.merge(r.extra as HistogramSnapshot);
const latency = merged.summary();
const achievedRate = (RECORDS / run.spanMs) * 1000;
log(`job: per subtask ${run.results.map((r) => r.count).join('/')}, sink span ${round(run.spanMs)} ms (${round(achievedRate)} records/s), ${JSON.stringify(latency)}`);
if (run.count !== RECORDS) throw new Error(`the sinks saw ${run.count} records, not ${RECORDS}`);

emit({
  bench: 'exchange-latency',
  records: RECORDS,
  rate: RATE,
  achievedRate: round(achievedRate),
  p50Ms: latency.p50Ms,
  p99Ms: latency.p99Ms,
  maxMs: latency.maxMs,
  baselineP50Ms: loopLatency.p50Ms,
  baselineP99Ms: loopLatency.p99Ms,
  baselineMaxMs: loopLatency.maxMs,
  ratio: round(latency.p99Ms / Math.max(loopLatency.p99Ms, 0.01), 1),
  target: TARGET_P99_MS,
  met: latency.p99Ms <= TARGET_P99_MS,
  job: latency,
  baseline: loopLatency,
  warmupMs: WARMUP_MS,
  baselineRecords: BASELINE_RECORDS,
});
