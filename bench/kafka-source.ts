/**
 * The Kafka connector against the raw client, on the Kafka test broker (the librdkafka mock
 * cluster, or `SLUICE_KAFKA_BOOTSTRAP`), 1 TaskManager with 1 slot. Prints two JSON lines:
 *
 * - `kafka-source`: a bounded `kafka://` source of a 4-partition topic (p=1) → counting sink, rate
 *   over the first to the last record at the sink, beside the raw client reading the same topic
 *   with the same fetch requests and JSON decoding in one loop. Target: at least 50%.
 * - `kafka-sink`: datagen (p=1) → transactional `kafka://` sink with checkpoints every 1 s, rate
 *   over submission to FINISHED, beside the raw kafkajs producer sending the same JSON in batches
 *   of 1000 with acks from all replicas. Target: at least 50%.
 *
 * Run with `node bin/run-ts.js bench/kafka-source.ts`; `BENCH_RECORDS` sets the record count.
 */
import kafkajs from 'kafkajs';
import { clusterOf, kafkaClient } from '../connectors/kafka/kafka-cluster.ts';
import { fetchPartitions } from '../connectors/kafka/kafka-fetch.ts';
import { startKafkaTestBroker } from '../test/support/kafka-mock/kafka-test-broker.ts';
import { produceMessages } from '../test/support/kafka-mock/kafka-test-data.ts';
import { benchJob, emit, envInt, log, round, runJobOnCluster } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 500_000);
const PARTITIONS = 4;
const TARGET_RATIO = 0.5;
const TOPICS = { 'bench-in': PARTITIONS, 'bench-raw-out': PARTITIONS, 'bench-out': PARTITIONS };

const started = await startKafkaTestBroker(TOPICS);
if (!('broker' in started)) throw new Error(`no Kafka broker: ${started.reason}`);
const { broker } = started;
const brokers = broker.bootstrap.split(',');
const record = (i: number): string => JSON.stringify({ i, key: `k${i % 100}` });
const perSecond = (count: number, ms: number): number => round((count / ms) * 1000);

/** The raw client reading every record of `topic` with JSON decoding; returns records/s. */
async function rawConsume(topic: string): Promise<number> {
  const cluster = clusterOf(kafkaClient(brokers, 'bench-raw-consume'));
  await cluster.connect();
  await cluster.addTargetTopic(topic);
  const offsets = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, 0]));
  let seen = 0;
  let sum = 0;
  const start = performance.now();
  while (seen < RECORDS) {
    for (const [partition, batch] of await fetchPartitions(cluster, topic, offsets)) {
      for (const message of batch.messages) sum += (JSON.parse(message.value?.toString('utf8') ?? 'null') as { i: number }).i;
      seen += batch.messages.length;
      offsets.set(partition, batch.next);
    }
  }
  const ms = performance.now() - start;
  await cluster.disconnect();
  if (sum !== (RECORDS * (RECORDS - 1)) / 2) throw new Error(`raw consume read a checksum of ${sum}`);
  return perSecond(RECORDS, ms);
}

/** The raw kafkajs producer sending RECORDS JSON records to `topic` in batches of 1000; returns records/s. */
async function rawProduce(topic: string): Promise<number> {
  const kafka = new kafkajs.Kafka({ clientId: 'bench-raw-produce', brokers, logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  const start = performance.now();
  for (let i = 0; i < RECORDS; i += 1000) {
    const messages = [];
    for (let j = i; j < Math.min(RECORDS, i + 1000); j++) messages.push({ value: record(j), partition: j % PARTITIONS });
    await producer.send({ topic, acks: -1, messages });
  }
  const ms = performance.now() - start;
  await producer.disconnect();
  return perSecond(RECORDS, ms);
}

try {
  log(`writing ${RECORDS} records to bench-in`);
  await produceMessages(broker.bootstrap, 'bench-in', Array.from({ length: RECORDS }, (_, i) => ({ value: record(i), partition: i % PARTITIONS })));
  const rawConsumeRate = await rawConsume('bench-in');
  const source = await runJobOnCluster({
    cluster: { taskManagers: 1, slotsPerTaskManager: 1 },
    job: benchJob('kafka-count'),
    parallelism: 1,
    args: { in: `kafka://${broker.bootstrap}/bench-in?bounded=true` },
    timeoutMs: 600_000,
  });
  if (source.count !== RECORDS || source.checksum !== (RECORDS * (RECORDS - 1)) / 2) throw new Error(`the job counted ${source.count} records, checksum ${source.checksum}`);
  const sourceRate = perSecond(RECORDS, source.spanMs);
  emit({
    bench: 'kafka-source',
    broker: broker.mock ? 'librdkafka mock cluster 2.0' : broker.bootstrap,
    records: RECORDS,
    partitions: PARTITIONS,
    sluiceRecordsPerSec: sourceRate,
    rawClientRecordsPerSec: rawConsumeRate,
    ratio: round(sourceRate / rawConsumeRate, 2),
    target: TARGET_RATIO,
    pass: sourceRate / rawConsumeRate >= TARGET_RATIO,
  });

  const rawProduceRate = await rawProduce('bench-raw-out');
  const started = performance.now();
  const sink = await runJobOnCluster({
    cluster: { taskManagers: 1, slotsPerTaskManager: 1 },
    job: benchJob('kafka-write'),
    parallelism: 1,
    args: { count: String(RECORDS), out: `kafka://${broker.bootstrap}/bench-out` },
    timeoutMs: 600_000,
    submit: { settings: { checkpointIntervalMs: 1_000 } },
  });
  const sinkMs = sink.wallMs > 0 ? sink.wallMs : performance.now() - started;
  const sinkRate = perSecond(RECORDS, sinkMs);
  emit({
    bench: 'kafka-sink',
    broker: broker.mock ? 'librdkafka mock cluster 2.0' : broker.bootstrap,
    records: RECORDS,
    partitions: PARTITIONS,
    checkpointIntervalMs: 1_000,
    checkpoints: sink.status.checkpoints?.completed,
    sluiceRecordsPerSec: sinkRate,
    rawClientRecordsPerSec: rawProduceRate,
    ratio: round(sinkRate / rawProduceRate, 2),
    target: TARGET_RATIO,
    pass: sinkRate / rawProduceRate >= TARGET_RATIO,
  });
} finally {
  await broker.stop();
}
process.exit(0);
