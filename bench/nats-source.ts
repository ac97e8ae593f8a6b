/**
 * Throughput of the NATS source: a bounded `nats://` stream of small JSON records → counting sink
 * on 1 TaskManager at p=1, against the raw client (`@nats-io/jetstream`, an ordered consumer with
 * a callback that JSON-decodes each message) reading the same stream in the same run. Prints one
 * JSON line on stdout.
 *
 * The job's rate comes from the sink's own clock readings (first record to end of the last
 * batch), so cluster start-up and deployment are excluded. Needs NATS at `SLUICE_NATS_SERVER`
 * (default 127.0.0.1:4222).
 *
 * Run with `node bin/run-ts.js bench/nats-source.ts`; `BENCH_RECORDS` sets the count (default 1 M).
 */
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { NATS_SERVER, natsSkipReason, NatsTestClient } from '../test/support/nats-test-server.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 1_000_000);
const TARGET_RATIO = 0.5;

const skipped = await natsSkipReason();
if (skipped !== undefined) {
  emit({ bench: 'nats-source', skipped });
  process.exit(0);
}
const nats = await NatsTestClient.connect();
try {
  const stream = await nats.createStream('bench_src');
  const publishStart = performance.now();
  await nats.publish(`${stream}.data`, Array.from({ length: RECORDS }, (_, i) => ({ i, user: `u${i % 10_000}`, amount: i % 997 })));
  log(`published ${RECORDS} messages in ${round(performance.now() - publishStart)} ms`);

  const raw = await rawConsume(stream);
  log(`raw client: ${RECORDS} messages in ${round(raw.ms)} ms (checksum ${raw.checksum})`);

  const run = await runJobOnCluster({
    cluster: { taskManagers: 1, slotsPerTaskManager: 1 },
    job: benchJob('nats-count'),
    parallelism: 1,
    args: { in: `nats://${NATS_SERVER}/${stream}?bounded=true` },
    timeoutMs: 600_000,
  });
  if (run.count !== RECORDS || run.checksum !== raw.checksum) throw new Error(`job read ${run.count} records (checksum ${run.checksum}), the raw client ${RECORDS} (${raw.checksum})`);
  const recordsPerSec = (RECORDS / run.spanMs) * 1000;
  const rawRecordsPerSec = (RECORDS / raw.ms) * 1000;
  emit({
    bench: 'nats-source',
    records: RECORDS,
    recordsPerSec: round(recordsPerSec),
    rawClientRecordsPerSec: round(rawRecordsPerSec),
    ratio: round(recordsPerSec / rawRecordsPerSec, 3),
    targetRatio: TARGET_RATIO,
    met: recordsPerSec >= TARGET_RATIO * rawRecordsPerSec,
    spanMs: round(run.spanMs),
    submitToFinishMs: round(run.wallMs),
  });
} finally {
  await nats.close();
}

/** Reads the whole stream with the raw client, decoding each message; the time from start to the last message. */
async function rawConsume(stream: string): Promise<{ ms: number; checksum: number }> {
  const consumer = await jetstream(nats.connection).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  let received = 0;
  let checksum = 0;
  const start = performance.now();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const messages = await consumer.consume({
    callback: (m) => {
      checksum += (m.json<{ i: number }>().i as number) ?? 0;
      if (++received === RECORDS) done();
    },
  });
  await finished;
  const ms = performance.now() - start;
  await messages.close();
  return { ms, checksum };
}
