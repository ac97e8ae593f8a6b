/**
 * The Redis sink against a hand-written ioredis pipeline loop, in the same run against the same
 * Redis: N window-count-like records written as `SET prefix:KEY:WINDOW {record}`. The sink runs
 * as a sink subtask does with checkpoints: `write` per record, a checkpoint (`preCommit`, then
 * `commit` of its transaction) every `BENCH_CHECKPOINT_RECORDS` records; the baseline sends the
 * same SETs in pipelines of 1000. Each writes distinct keys, so the sink's staging deduplicates
 * nothing. Prints one JSON line: records per second of each and their ratio.
 *
 * Run with `node bin/run-ts.js bench/redis-sink.ts` (Redis at `SLUICE_REDIS`, default
 * 127.0.0.1:6379); `BENCH_RECORDS` sets the record count.
 */
import { RedisSinkWriter } from '../connectors/redis/redis-sink-writer.ts';
import { parseRedisUri } from '../connectors/redis/redis-uri.ts';
import { REDIS_ADDRESS, deletePrefix, testRedisClient, uniquePrefix } from '../test/support/redis-test-server.ts';
import { emit, envInt, log, round } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 200_000);
const CHECKPOINT_RECORDS = envInt('BENCH_CHECKPOINT_RECORDS', 20_000);
const PIPELINE = 1000;

const record = (i: number): { key: string; window_start: number; window_end: number; count: number } => {
  const start = 1_700_000_000_000 + Math.floor(i / 100) * 10_000;
  return { key: `k${i % 100}`, window_start: start, window_end: start + 10_000, count: i };
};

const client = testRedisClient();
await client.connect();

async function baseline(prefix: string): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < RECORDS; i += PIPELINE) {
    const pipeline = client.pipeline();
    for (let j = i; j < Math.min(RECORDS, i + PIPELINE); j++) {
      const r = record(j);
      pipeline.set(`${prefix}:${r.key}:${r.window_start}`, JSON.stringify(r));
    }
    const replies = await pipeline.exec();
    if (replies?.some(([error]) => error)) throw new Error('a SET failed');
  }
  return performance.now() - start;
}

async function sink(prefix: string): Promise<number> {
  const uri = parseRedisUri(`redis://${REDIS_ADDRESS}/${prefix}?key={key}:{window_start}`);
  const context = { jobId: 'bench', operatorId: 'sink', subtaskIndex: 0, parallelism: 1, attempt: 0, checkpointing: true, pushCollected: async () => undefined };
  const writer = new RedisSinkWriter(uri, context, 'output "out"');
  await writer.open();
  const start = performance.now();
  let checkpoint = 0;
  for (let i = 0; i < RECORDS; i++) {
    writer.write(record(i));
    if ((i + 1) % CHECKPOINT_RECORDS === 0 || i + 1 === RECORDS) await writer.commit(await writer.preCommit(++checkpoint));
  }
  const ms = performance.now() - start;
  await writer.close();
  return ms;
}

const prefixes = { baseline: uniquePrefix('bench-baseline'), sink: uniquePrefix('bench-sink') };
try {
  log(`writing ${RECORDS} records with a hand-written pipeline loop, then with the sink`);
  const baselineMs = await baseline(prefixes.baseline);
  const sinkMs = await sink(prefixes.sink);
  const baselineRate = (RECORDS / baselineMs) * 1000;
  const sinkRate = (RECORDS / sinkMs) * 1000;
  emit({
    benchmark: 'redis-sink',
    records: RECORDS,
    checkpointEveryRecords: CHECKPOINT_RECORDS,
    sinkRecordsPerSecond: round(sinkRate),
    pipelineLoopRecordsPerSecond: round(baselineRate),
    ratio: round(sinkRate / baselineRate, 2),
  });
} finally {
  await deletePrefix(client, prefixes.baseline);
  await deletePrefix(client, prefixes.sink);
  client.disconnect();
}
