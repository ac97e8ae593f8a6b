/**
 * Throughput of the NATS sink with checkpoints every 1 s: generated records → `nats://` subject
 * on 1 TaskManager at p=1 (staged per checkpoint, published with a `Nats-Msg-Id` each when it
 * completes), against the raw client (`js.publish`) publishing the same records with message ids,
 * 256 in flight, in the same run. Prints one JSON line on stdout.
 *
 * The job's rate is the records over the time from the first record's creation (its `t` field)
 * to the stream's last message time, so it includes staging until the checkpoint and excludes
 * cluster start-up. Needs NATS at `SLUICE_NATS_SERVER` (default 127.0.0.1:4222).
 *
 * Run with `node bin/run-ts.js bench/nats-sink.ts`; `BENCH_RECORDS` sets the count (default 500 k).
 */
import { jetstream } from '@nats-io/jetstream';
import { NATS_SERVER, natsSkipReason, NatsTestClient } from '../test/support/nats-test-server.ts';
import { benchJob, emit, envInt, log, round } from './support/harness.ts';
import { MiniCluster } from '../test/support/mini-cluster.ts';

const RECORDS = envInt('BENCH_RECORDS', 500_000);
const TARGET_RATIO = 0.5;
const WINDOW = 256;

const skipped = await natsSkipReason();
if (skipped !== undefined) {
  emit({ bench: 'nats-sink', skipped });
  process.exit(0);
}
const nats = await NatsTestClient.connect();
try {
  const rawStream = await nats.createStream('bench_raw_pub');
  const rawMs = await rawPublish(`${rawStream}.out`);
  log(`raw client: ${RECORDS} publishes in ${round(rawMs)} ms`);

  const stream = await nats.createStream('bench_sink');
  const cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 1, logs: process.env.BENCH_LOGS ? 'inherit' : 'ignore' });
  let wallMs: number;
  let checkpoints: number;
  try {
    const started = performance.now();
    const jobId = await cluster.submit(benchJob('nats-publish'), 1, { count: String(RECORDS), out: `nats://${NATS_SERVER}/${stream}/${stream}.out` }, { settings: { checkpointIntervalMs: 1_000 } });
    const status = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 600_000);
    wallMs = performance.now() - started;
    if (status.state !== 'FINISHED') throw new Error(`job ${jobId} ended ${status.state}: ${status.failure}`);
    checkpoints = status.checkpoints?.completed ?? 0;
    log(`job ${jobId}: ${checkpoints} checkpoints, ${status.restarts} restarts${status.lastFailure ? ` (last failure: ${status.lastFailure})` : ''}`);
  } finally {
    await cluster.stop();
  }
  const info = await nats.manager.streams.info(stream);
  if (info.state.messages !== RECORDS) throw new Error(`the job published ${info.state.messages} messages, not ${RECORDS}`);
  const first = await nats.manager.streams.getMessage(stream, { seq: info.state.first_seq });
  const firstMade = (first?.json<{ t: number }>().t as number) ?? Number.NaN;
  const spanMs = Date.parse(info.state.last_ts) - firstMade;
  const recordsPerSec = (RECORDS / spanMs) * 1000;
  const rawRecordsPerSec = (RECORDS / rawMs) * 1000;
  emit({
    bench: 'nats-sink',
    records: RECORDS,
    checkpointIntervalMs: 1_000,
    checkpoints,
    recordsPerSec: round(recordsPerSec),
    rawClientRecordsPerSec: round(rawRecordsPerSec),
    ratio: round(recordsPerSec / rawRecordsPerSec, 3),
    targetRatio: TARGET_RATIO,
    met: recordsPerSec >= TARGET_RATIO * rawRecordsPerSec,
    spanMs: round(spanMs),
    submitToFinishMs: round(wallMs),
  });
} finally {
  await nats.close();
}

/** Publishes the records with the raw client, each with a message id, `WINDOW` in flight; the time it takes. */
async function rawPublish(subject: string): Promise<number> {
  const js = jetstream(nats.connection);
  let inFlight = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const settled = (): void => {
    inFlight--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const start = performance.now();
  for (let i = 0; i < RECORDS; i++) {
    inFlight++;
    js.publish(subject, JSON.stringify({ i, t: Date.now() }), { msgID: `raw/${i}` }).then(settled, (error: unknown) => {
      failure ??= error;
      settled();
    });
    while (inFlight >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  if (failure !== undefined) throw failure;
  return performance.now() - start;
}
