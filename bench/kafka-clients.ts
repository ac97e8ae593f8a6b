/**
 * Compares the two pure-JS Kafka clients Sluice could use, kafkajs 2.2.4 and @platformatic/kafka,
 * against the Kafka test broker (the librdkafka mock cluster, or `SLUICE_KAFKA_BOOTSTRAP`):
 * produce throughput (batches of 1000, acks from the leader), consume throughput (kafkajs through
 * its consumer group and through the broker fetch requests Sluice's source uses; @platformatic
 * through its stream at given offsets), and a transaction probe (commit, then abort). Prints one
 * JSON line on stdout; a client that fails a step reports the error in its place.
 *
 * @platformatic/kafka declares Node >= 22 and calls `Promise.withResolvers` (Node 22); on Node 20
 * this benchmark installs a small stand-in for it before loading the client and says so.
 *
 * Run with `node bin/run-ts.js bench/kafka-clients.ts`; `BENCH_RECORDS` sets the message count.
 */
import kafkajs from 'kafkajs';
import { clusterOf, kafkaClient } from '../connectors/kafka/kafka-cluster.ts';
import { fetchPartitions } from '../connectors/kafka/kafka-fetch.ts';
import { startKafkaTestBroker } from '../test/support/kafka-mock/kafka-test-broker.ts';
import { emit, envInt, log, round } from './support/harness.ts';

const RECORDS = envInt('BENCH_RECORDS', 200_000);
const PARTITIONS = 4;
const BATCH = 1000;
const TOPICS = { 'kjs-p': PARTITIONS, 'kjs-t': 1, 'plt-p': PARTITIONS, 'plt-t': 1 };

const started = await startKafkaTestBroker(TOPICS);
if (!('broker' in started)) throw new Error(`no Kafka broker: ${started.reason}`);
const { broker } = started;
const brokers = broker.bootstrap.split(',');
const value = (i: number): string => JSON.stringify({ i, key: `k${i % 100}`, ts: 1_700_000_000_000 + i });

/** Runs `step`, returning its result or the error's first line. */
async function attempt<T>(what: string, step: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await step();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${what}: ${message}`);
    return { error: [message.split('\n')[0] ?? message, ...innerMessages(error)].join(': ') };
  }
}

/** The messages of the errors an aggregate error holds, innermost last. */
function innerMessages(error: unknown): string[] {
  const inner = (error as { errors?: unknown[] } | undefined)?.errors?.[0];
  if (!(inner instanceof Error)) return [];
  return [inner.message, ...innerMessages(inner)];
}

/** Messages per second of `count` messages in `ms`. */
const rate = (count: number, ms: number): number => round((count / ms) * 1000);

async function kafkajsResults(): Promise<Record<string, unknown>> {
  const kafka = new kafkajs.Kafka({ clientId: 'bench-kafkajs', brokers, logLevel: kafkajs.logLevel.NOTHING });
  const produce = await attempt('kafkajs produce', async () => {
    const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    await producer.connect();
    const start = performance.now();
    for (let i = 0; i < RECORDS; i += BATCH) {
      const messages = Array.from({ length: BATCH }, (_, j) => ({ value: value(i + j), partition: (i + j) % PARTITIONS }));
      await producer.send({ topic: 'kjs-p', acks: 1, messages });
    }
    const ms = performance.now() - start;
    await producer.disconnect();
    return rate(RECORDS, ms);
  });
  const consumeGroup = await attempt('kafkajs consumer group', async () => {
    const consumer = kafka.consumer({ groupId: 'bench-kafkajs', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'kjs-p', fromBeginning: true });
    let seen = 0;
    const start = performance.now();
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) JSON.parse(message.value?.toString() ?? 'null');
          seen += batch.messages.length;
          if (seen >= RECORDS) resolve();
        },
      });
    });
    const ms = performance.now() - start;
    await consumer.disconnect();
    return rate(RECORDS, ms);
  });
  const consumeFetch = await attempt('kafkajs broker fetch', async () => {
    const cluster = clusterOf(kafkaClient(brokers, 'bench-kafkajs-fetch'));
    await cluster.connect();
    await cluster.addTargetTopic('kjs-p');
    const offsets = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, 0]));
    let seen = 0;
    const start = performance.now();
    while (seen < RECORDS) {
      for (const [partition, batch] of await fetchPartitions(cluster, 'kjs-p', offsets)) {
        for (const message of batch.messages) JSON.parse(message.value?.toString() ?? 'null');
        seen += batch.messages.length;
        offsets.set(partition, batch.next);
      }
    }
    const ms = performance.now() - start;
    await cluster.disconnect();
    return rate(RECORDS, ms);
  });
  const transactions = await attempt('kafkajs transactions', async () => {
    const producer = kafka.producer({ transactionalId: 'bench-kafkajs-tx', maxInFlightRequests: 1 });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: 'kjs-t', messages: [{ value: 'committed' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'kjs-t', messages: [{ value: 'aborted' }] });
    await aborted.abort();
    await producer.disconnect();
    return 'commit and abort work (InitProducerId, AddPartitionsToTxn, EndTxn); no public producer id or epoch, so a crashed transaction cannot be committed through the public API';
  });
  return { produce, consumeGroup, consumeFetch, transactions };
}

async function platformaticResults(): Promise<Record<string, unknown>> {
  const polyfilled = typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function';
  if (polyfilled) {
    Object.defineProperty(Promise, 'withResolvers', {
      configurable: true,
      value<T>() {
        let resolve!: (value: T) => void;
        let reject!: (reason: unknown) => void;
        const promise = new Promise<T>((a, b) => {
          resolve = a;
          reject = b;
        });
        return { promise, resolve, reject };
      },
    });
  }
  const platformatic = await import('@platformatic/kafka');
  const produce = await attempt('@platformatic/kafka produce', async () => {
    const producer = new platformatic.Producer({ clientId: 'bench-plt', bootstrapBrokers: brokers, serializers: platformatic.stringSerializers });
    const start = performance.now();
    for (let i = 0; i < RECORDS; i += BATCH) {
      const messages = Array.from({ length: BATCH }, (_, j) => ({ topic: 'plt-p', value: value(i + j), partition: (i + j) % PARTITIONS }));
      await producer.send({ messages, acks: 1 });
    }
    const ms = performance.now() - start;
    await producer.close();
    return rate(RECORDS, ms);
  });
  const consume = await attempt('@platformatic/kafka consume', async () => {
    const consumer = new platformatic.Consumer({ clientId: 'bench-plt', groupId: 'bench-plt', bootstrapBrokers: brokers, deserializers: platformatic.stringDeserializers, maxWaitTime: 100, autocommit: false });
    const offsets = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'plt-p', partition, offset: 0n }));
    const stream = await consumer.consume({ topics: ['plt-p'], mode: 'manual', offsets });
    let seen = 0;
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', (message: { value: string }) => {
        JSON.parse(message.value);
        if (++seen >= RECORDS) resolve();
      });
    });
    const ms = performance.now() - start;
    await stream.close();
    await consumer.close();
    return rate(RECORDS, ms);
  });
  const transactions = await attempt('@platformatic/kafka transactions', async () => {
    const producer = new platformatic.Producer({ clientId: 'bench-plt-tx', bootstrapBrokers: brokers, serializers: platformatic.stringSerializers, transactionalId: 'bench-plt-tx', idempotent: true });
    const committed = await producer.beginTransaction();
    await committed.send({ messages: [{ topic: 'plt-t', value: 'committed' }] });
    await committed.commit();
    const aborted = await producer.beginTransaction();
    await aborted.send({ messages: [{ topic: 'plt-t', value: 'aborted' }] });
    await aborted.abort();
    const identity = `producer id ${String(producer.producerId)} epoch ${String(producer.producerEpoch)} exposed`;
    await producer.close();
    return `commit and abort work; ${identity}`;
  });
  return { produce, consume, transactions, node: process.version, needsPolyfill: polyfilled ? 'Promise.withResolvers (Node 22)' : undefined };
}

try {
  const kafkajsResult = await kafkajsResults();
  const platformaticResult = await platformaticResults();
  emit({
    bench: 'kafka-clients',
    broker: broker.mock ? 'librdkafka mock cluster 2.0' : broker.bootstrap,
    records: RECORDS,
    partitions: PARTITIONS,
    unit: 'messages/s',
    kafkajs: kafkajsResult,
    platformatic: platformaticResult,
  });
} finally {
  await broker.stop();
}
process.exit(0);
