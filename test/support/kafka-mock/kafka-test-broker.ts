/**
 * The Kafka broker of the live tests: a real one named by `SLUICE_KAFKA_BOOTSTRAP=host:port`, or
 * else the librdkafka mock cluster of `kafka-mock.c`, compiled with the machine's `cc` into a
 * temporary directory keyed by the source's hash.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'kafka-mock.c');

/** A broker the tests can use: its bootstrap list, and how to create topics on it and stop it. */
export interface KafkaTestBroker {
  /** `host:port[,host:port]`, as a `kafka://` URI takes it. */
  readonly bootstrap: string;
  /** Whether this is the mock cluster (which lacks transaction markers, see the README). */
  readonly mock: boolean;
  /** Stops the mock cluster; a real broker is left alone. */
  stop(): Promise<void>;
  /**
   * Mock only: drops every connection of broker `id` (1-based) and refuses new ones (`up`
   * false), or lets it serve again; resolves once the mock has done it.
   */
  setBrokerUp?(id: number, up: boolean): Promise<void>;
}

/** Either a broker or the reason there is none, which a test prints when it skips. */
export type KafkaTestBrokerOrReason = { readonly broker: KafkaTestBroker } | { readonly reason: string };

/** Whether tests must fail rather than skip when the broker is missing. */
export const REQUIRE_SERVICES = process.env.SLUICE_REQUIRE_SERVICES === '1';

/**
 * Builds the mock program (once per source hash) and returns its path, or the reason it cannot
 * be built (no `cc`, no `librdkafka-dev`).
 */
export function buildKafkaMock(): { readonly path: string } | { readonly reason: string } {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const directory = join(tmpdir(), `sluice-kafka-mock-${hash}`);
  const binary = join(directory, 'kafka-mock');
  if (existsSync(binary)) return { path: binary };
  mkdirSync(directory, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  const result = spawnSync('cc', ['-O2', '-o', partial, SOURCE, '-lrdkafka'], { encoding: 'utf8' });
  if (result.error !== undefined) return { reason: `cannot run cc to build the Kafka test broker: ${result.error.message}` };
  if (result.status !== 0) {
    return { reason: `cannot build the Kafka test broker (is librdkafka-dev installed?): ${result.stderr.trim().split('\n').slice(0, 3).join(' ')}` };
  }
  renameSync(partial, binary);
  return { path: binary };
}

/**
 * Starts a broker with `topics` (name → partitions): the mock cluster with `brokers` brokers, or,
 * with `SLUICE_KAFKA_BOOTSTRAP`, the real broker, where the topics are created with the admin API.
 * `unknownTopics` answer "unknown topic" on the mock (a real broker has no such topics anyway).
 */
export async function startKafkaTestBroker(topics: Readonly<Record<string, number>>, brokers = 1, unknownTopics: readonly string[] = []): Promise<KafkaTestBrokerOrReason> {
  const external = process.env.SLUICE_KAFKA_BOOTSTRAP;
  if (external !== undefined && external !== '') {
    await createTopics(external, topics);
    return { broker: { bootstrap: external, mock: false, stop: async () => undefined } };
  }
  const built = buildKafkaMock();
  if ('reason' in built) return built;
  const args = ['--brokers', String(brokers)];
  for (const [name, partitions] of Object.entries(topics)) args.push('--topic', `${name}:${partitions}`);
  for (const name of unknownTopics) args.push('--unknown-topic', name);
  const child = spawn(built.path, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const replies: Array<() => void> = [];
  const bootstrap = await firstLine(child, lines);
  lines.on('line', () => replies.shift()?.());
  const setBrokerUp = (id: number, up: boolean): Promise<void> =>
    new Promise((resolve) => {
      replies.push(resolve);
      child.stdin!.write(`${up ? 'up' : 'down'} ${id}\n`);
    });
  return { broker: { bootstrap, mock: true, stop: () => stopChild(child), setBrokerUp } };
}

/**
 * Calls `startKafkaTestBroker`; when there is no broker, prints why and returns undefined (the
 * test then skips), or throws under `SLUICE_REQUIRE_SERVICES=1`.
 */
export async function kafkaOrSkip(topics: Readonly<Record<string, number>>, brokers = 1, unknownTopics: readonly string[] = []): Promise<KafkaTestBroker | undefined> {
  const started = await startKafkaTestBroker(topics, brokers, unknownTopics);
  if ('broker' in started) return started.broker;
  if (REQUIRE_SERVICES) throw new Error(`SLUICE_REQUIRE_SERVICES=1 but there is no Kafka broker: ${started.reason}`);
  console.log(`skipping Kafka tests: ${started.reason}`);
  return undefined;
}

async function createTopics(bootstrap: string, topics: Readonly<Record<string, number>>): Promise<void> {
  const kafka = new kafkajs.Kafka({ clientId: 'sluice-test', brokers: bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: Object.entries(topics).map(([topic, numPartitions]) => ({ topic, numPartitions })) });
  } finally {
    await admin.disconnect();
  }
}

function firstLine(child: ChildProcess, lines: ReturnType<typeof createInterface>): Promise<string> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the Kafka test broker exited with code ${code} before printing its address`));
    child.once('exit', onExit);
    child.once('error', reject);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      resolve(line.trim());
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin?.end();
  });
}
