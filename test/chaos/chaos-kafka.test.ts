/**
 * The chaos case of the Kafka connector: window-count reading a topic of 4 partitions and writing
 * a topic transactionally, at p=3 on 3 TaskManagers with 500 ms checkpoints, while TaskManagers
 * and the JobManager are killed with SIGKILL. `npm test` runs a short version (40 k records, 2
 * TaskManager kills and a JobManager kill); `CHAOS_FULL=1` the full one (520 k records, 5
 * TaskManager kills and a JobManager kill). `CHAOS_RECORDS` and `CHAOS_TM_KILLS` override. Skips
 * with a printed reason when there is no Kafka test broker (fails under SLUICE_REQUIRE_SERVICES=1).
 *
 * What is checked, and on which broker. The output topic is read back read_committed, with the
 * producer id and epoch of each record's batch; each sink transaction has its own producer id and
 * epoch. The sink logs every transaction it commits (`kafka transaction committed`, on checkpoint
 * completion and again when a recovery commits a restored one); the test keeps the records of those
 * transactions and compares them with the failure-free reference: nothing lost, nothing
 * repeated, nothing else.
 * - On a real broker (`SLUICE_KAFKA_BOOTSTRAP`), read_committed itself hides aborted transactions,
 *   so the test also requires the whole read-back, unfiltered, to equal the reference: that is the
 *   end-to-end exactly-once promise, broker included.
 * - On the librdkafka mock, which writes no transaction markers, read_committed returns aborted
 *   records too, so only the filtered comparison is made. It proves that the transactions the sink
 *   committed (by checkpoint completion or by recovery from a checkpoint) hold exactly the
 *   reference, each record once, through the kills, and that records of transactions it did not
 *   commit exist only as repeats of committed ones. It does not prove what only the broker does:
 *   that `EndTxn` makes exactly those records visible, that fencing by `InitProducerId` aborts an
 *   attempt's open transaction (the mock gives a new producer id instead of bumping the epoch), or
 *   that a log line is never written for a commit the broker refused (the sink logs after `EndTxn`
 *   succeeds, so an error never logs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChaos } from '../../client/chaos/chaos-run.ts';
import { kafkaOrSkip, type KafkaTestBroker } from '../support/kafka-mock/kafka-test-broker.ts';
import { writeWindowCountTopic } from '../support/kafka-mock/window-count-topic.ts';
import { compareOutput, type Reference } from './chaos-inputs.ts';
import { committedTransactions, readTopicWithTransactions } from './kafka-transactions-read.ts';

const FULL = process.env.CHAOS_FULL === '1';
const RECORDS = Number(process.env.CHAOS_RECORDS ?? (FULL ? 520_000 : 40_000));
const TM_KILLS = Number(process.env.CHAOS_TM_KILLS ?? (FULL ? 5 : 2));
const PARTITIONS = 4;
/** Replay rate per source subtask (subtask 0 reads 2 of the 4 partitions), so that the job runs long enough for every fault. */
const RATE = Math.max(1_000, Math.ceil(RECORDS / 2 / (FULL ? 40 : 8)));
const RUN = `${process.pid}-${Date.now()}`;
const IN = `chaos-events-${RUN}`;
const OUT = `chaos-counts-${RUN}`;

const broker: KafkaTestBroker | undefined = await kafkaOrSkip({ [IN]: PARTITIONS, [OUT]: 3 });

describe.skipIf(broker === undefined)(`chaos (Kafka): ${RECORDS} records, ${TM_KILLS} TaskManager kills and a JobManager kill`, () => {
  let reference: Reference;
  let logDir: string;
  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'sluice-chaos-kafka-'));
    reference = await writeWindowCountTopic(broker!.bootstrap, IN, PARTITIONS, RECORDS);
  }, 300_000);
  afterAll(async () => {
    await broker?.stop();
    if (logDir !== undefined) rmSync(logDir, { recursive: true, force: true });
  });

  it('window-count from a Kafka topic to a Kafka topic commits exactly the failure-free counts', async () => {
    const result = await runChaos({
      job: 'jobs/examples/window-count',
      parallelism: 3,
      taskManagers: 3,
      args: { in: `kafka://${broker!.bootstrap}/${IN}?bounded=true&rate=${RATE}`, out: `kafka://${broker!.bootstrap}/${OUT}` },
      outputs: [],
      checkpointIntervalMs: 500,
      taskManagerKills: TM_KILLS,
      killJobManager: true,
      seed: 47,
      logs: { dir: logDir },
    });
    const read = await readTopicWithTransactions(broker!.bootstrap, OUT);
    const committed = committedTransactions(logDir, OUT);
    const rows = read.filter((r) => committed.has(r.transaction)).map((r) => r.record);
    const diff = compareOutput(rows, reference);
    const uncommitted = read.filter((r) => !committed.has(r.transaction)).map((r) => r.record);
    console.log(
      JSON.stringify({
        chaos: 'window-count-kafka',
        broker: broker!.mock ? 'mock' : 'real',
        records: RECORDS,
        expectedRows: reference.size,
        readRows: read.length,
        committedRows: rows.length,
        committedTransactions: committed.size,
        uncommittedRows: uncommitted.length,
        taskManagerKills: result.taskManagerKills,
        jobManagerKills: result.jobManagerKills,
        restarts: result.final.restarts,
        ...diff,
        wrongCounts: wrongCounts(rows, reference).slice(0, 10),
      }),
    );
    expect(result.final.state, result.final.failure).toBe('FINISHED');
    expect(result.skipped).toBe(0);
    expect(result.taskManagerKills).toBe(TM_KILLS);
    expect(result.jobManagerKills).toBe(1);
    expect(diff).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
    expect(rows).toHaveLength(reference.size);
    expect(compareOutput(uncommitted, reference).unexpected).toBe(0);
    if (!broker!.mock) expect(compareOutput(read.map((r) => r.record), reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
  }, 900_000);
});

/** The windows whose committed count differs from the reference: `key@window_start expected→got` (what a failure prints). */
function wrongCounts(rows: readonly Record<string, unknown>[], reference: Reference): string[] {
  const got = new Map<string, number>();
  for (const row of rows) got.set(`${String(row.key)}@${String(row.window_start)}`, Number(row.count));
  const wrong: string[] = [];
  for (const line of reference.keys()) {
    const row = JSON.parse(line) as Record<string, unknown>;
    const window = `${String(row.key)}@${String(row.window_start)}`;
    const count = got.get(window);
    if (count !== Number(row.count)) wrong.push(`${window} ${String(row.count)}→${count ?? 'none'}`);
  }
  return wrong;
}
