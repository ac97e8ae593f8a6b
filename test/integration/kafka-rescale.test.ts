/**
 * Rescaling a job that reads a 4-partition Kafka topic: a savepoint at p=2, restored at p=3,
 * every record counted exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOutput, type Reference } from '../chaos/chaos-inputs.ts';
import { kafkaOrSkip, type KafkaTestBroker } from '../support/kafka-mock/kafka-test-broker.ts';
import { writeWindowCountTopic } from '../support/kafka-mock/window-count-topic.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

const RECORDS = 20_000;
const IN = `rescale-${process.pid}-${Date.now()}`;

let broker: KafkaTestBroker | undefined;
let reference: Reference;

beforeAll(async () => {
  broker = await kafkaOrSkip({ [IN]: 4 });
  if (broker !== undefined) reference = await writeWindowCountTopic(broker.bootstrap, IN, 4, RECORDS);
}, 120_000);

afterAll(async () => {
  await broker?.stop();
});

describe('Kafka source rescale', () => {
  it('rescales window-count from p=2 to p=3 through a savepoint with every record exactly once', async ({ skip }) => {
    if (broker === undefined) return skip();
    const dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-rescale-'));
    const cluster = await MiniCluster.start({ taskManagers: 3, slotsPerTaskManager: 1, jobManagerArgs: ['--savepoint-root', join(dir, 'savepoints')] });
    try {
      const out = join(dir, 'out');
      const jobId = await cluster.submit(
        'jobs/examples/window-count',
        2,
        { in: `kafka://${broker.bootstrap}/${IN}?bounded=true&rate=1500`, out: `file:${out}` },
        { settings: { checkpointIntervalMs: 200 } },
      );
      await waitFor(async () => ((await cluster.client.status(jobId)).checkpoints?.completed ?? 0) >= 1 || undefined, 'a checkpoint', 60_000);
      expect(await cluster.client.rescale(jobId, 3)).toContain('savepoint-');
      const running = await waitFor(async () => {
        const s = await cluster.client.status(jobId);
        return s.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.attempt > 0) ? s : undefined;
      }, 'the rescaled attempt', 60_000);
      expect(Math.max(...running.tasks.map((t) => t.subtask))).toBe(2);
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
      expect(final.state, final.failure).toBe('FINISHED');
      expect(compareOutput(readCommittedOutput(out), reference)).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
    } finally {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
