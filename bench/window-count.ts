/**
 * Keyed 1 s tumbling window count through a keyed exchange, state in LevelDB: datagen (p=2) →
 * keyBy → window count (p=2) → counting sink, on 2 TaskManagers with 1 slot each, beside the
 * hand-written single-process loop for the same work (a Map per window, 10 000 keys). Prints one
 * JSON line on stdout.
 *
 * The job's rate is events over submission-to-FINISHED time, so it includes deployment and is a
 * slight underestimate. Targets: at least 25% of the loop's rate, and at least 1 M events/s.
 *
 * The window aggregate is split into a local phase before the exchange and the keyed window
 * (local window aggregation, on by default); `BENCH_LOCAL_AGGREGATION=0` turns it off, so that
 * every event crosses the exchange and updates LevelDB-backed window state one by one.
 *
 * Run with `node bin/run-ts.js bench/window-count.ts`; `BENCH_RECORDS` sets the event count.
 */
import { SplitMixRandom } from '../connectors/datagen/split-mix-random.ts';
import { generateEvent, SEED, WINDOW_MS } from './jobs/window-count/pipeline.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 20_000_000);
const PARALLELISM = 2;
const TARGET = 1_000_000;
const TARGET_RATIO = 0.25;
const LOCAL_AGGREGATION = process.env.BENCH_LOCAL_AGGREGATION !== '0';

/** The hand-written loop: a Map of key → count per open window, emitted when event time passes its end. */
function baseline(count: number): { windows: number; events: number; ms: number } {
  const random = new SplitMixRandom(SEED);
  const open = new Map<number, Map<number, number>>();
  let windows = 0;
  let events = 0;
  let watermark = Number.NEGATIVE_INFINITY;
  const fire = (upTo: number): void => {
    for (const [start, counts] of open) {
      if (start + WINDOW_MS - 1 > upTo) continue;
      for (const n of counts.values()) {
        windows++;
        events += n;
      }
      open.delete(start);
    }
  };
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    random.reset(i);
    const e = generateEvent(i, random);
    const windowStart = e.ts - (e.ts % WINDOW_MS);
    let counts = open.get(windowStart);
    if (!counts) {
      counts = new Map();
      open.set(windowStart, counts);
    }
    counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
    if (e.ts - 1 > watermark) {
      const previous = watermark;
      watermark = e.ts - 1;
      if (Math.floor(previous / WINDOW_MS) !== Math.floor(watermark / WINDOW_MS)) fire(watermark);
    }
  }
  fire(Number.POSITIVE_INFINITY);
  return { windows, events, ms: performance.now() - start };
}

const loop = baseline(RECORDS);
const baselineEventsPerSec = (RECORDS / loop.ms) * 1000;
log(`baseline: ${RECORDS} events in ${round(loop.ms)} ms, ${loop.windows} window counts`);

const run = await runJobOnCluster({
  cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
  job: benchJob('window-count'),
  parallelism: PARALLELISM,
  args: { count: String(RECORDS), localAggregation: String(LOCAL_AGGREGATION) },
  timeoutMs: 900_000,
});
const eventsPerSec = (RECORDS / run.wallMs) * 1000;
log(`job: ${run.count} window counts summing to ${run.checksum}, submit to finish ${round(run.wallMs)} ms`);
if (run.count !== loop.windows || run.checksum !== loop.events) {
  throw new Error(`job and loop disagree: job ${run.count} windows / ${run.checksum} events, loop ${loop.windows} / ${loop.events}`);
}

emit({
  bench: 'window-count',
  events: RECORDS,
  keys: 10_000,
  windowMs: WINDOW_MS,
  localWindowAggregation: LOCAL_AGGREGATION,
  eventsPerSec: round(eventsPerSec),
  baselineEventsPerSec: round(baselineEventsPerSec),
  ratio: round(eventsPerSec / baselineEventsPerSec, 4),
  targetEventsPerSec: TARGET,
  targetRatio: TARGET_RATIO,
  met: eventsPerSec >= TARGET && eventsPerSec / baselineEventsPerSec >= TARGET_RATIO,
  windowCounts: run.count,
  submitToFinishMs: round(run.wallMs),
});
