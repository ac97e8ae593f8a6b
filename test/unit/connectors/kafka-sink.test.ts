import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwoPhaseCommitSinkWriter } from '../../../common/connector/sink.ts';
import { KafkaSink } from '../../../connectors/kafka/kafka-sink.ts';
import { kafkaSplitId } from '../../../connectors/kafka/kafka-split.ts';
import type { KafkaTransaction } from '../../../connectors/kafka/kafka-transactional-producer.ts';
import { transactionalIdOf } from '../../../connectors/kafka/kafka-transactional-writer.ts';
import { parseKafkaUri } from '../../../connectors/kafka/kafka-uri.ts';
import { partitionOfKey } from '../../../connectors/kafka/murmur2.ts';
import { kafkaOrSkip, type KafkaTestBroker } from '../../support/kafka-mock/kafka-test-broker.ts';
import { readTopic } from '../../support/kafka-mock/kafka-test-data.ts';
import { sinkContext } from './contexts.ts';

const RUN = `${process.pid}-${Date.now()}`;
const TOPICS = { [`keyed-${RUN}`]: 4, [`staged-${RUN}`]: 2, [`crash-${RUN}`]: 2, [`alo-${RUN}`]: 3 };
const [KEYED, STAGED, CRASH, ALO] = Object.keys(TOPICS) as [string, string, string, string];

let broker: KafkaTestBroker | undefined;

beforeAll(async () => {
  broker = await kafkaOrSkip(TOPICS);
});

afterAll(async () => {
  await broker?.stop();
});

function transactionalWriter(topic: string, subtask = 0, parallelism = 1, attempt = 0): TwoPhaseCommitSinkWriter<unknown, KafkaTransaction> {
  const sink = new KafkaSink(parseKafkaUri(`kafka://${broker!.bootstrap}/${topic}?key=user`));
  return sink.createWriter(sinkContext(subtask, parallelism, attempt, { checkpointing: true })) as TwoPhaseCommitSinkWriter<unknown, KafkaTransaction>;
}

describe('Kafka sink against a broker', () => {
  it('commits a checkpoint transaction and puts each key on the partition the Java client would', async ({ skip }) => {
    if (broker === undefined) return skip();
    const writer = transactionalWriter(KEYED);
    await writer.open();
    try {
      const records = Array.from({ length: 400 }, (_, i) => ({ user: `user-${i % 37}`, i }));
      for (const record of records) writer.write(record);
      await writer.flush();
      const transactions = await writer.preCommit(1);
      expect(transactions).toEqual([expect.objectContaining({ transactionalId: transactionalIdOf(KEYED, 'sink-1', 0), checkpointId: 1 })]);
      await writer.commit(transactions);
      const read = await readTopic(broker.bootstrap, KEYED);
      expect(read.map((r) => r.record).sort((a, b) => Number(a.i) - Number(b.i))).toEqual(records);
      for (const { record, split } of read) expect(split).toBe(kafkaSplitId(KEYED, partitionOfKey(Buffer.from(String(record.user)), 4)));
    } finally {
      await writer.close();
    }
  });

  it('holds records after a barrier back until that checkpoint commits, then writes them in the next transaction', async ({ skip }) => {
    if (broker === undefined) return skip();
    const writer = transactionalWriter(STAGED);
    await writer.open();
    try {
      writer.write({ user: 'a', n: 1 });
      const first = await writer.preCommit(1);
      writer.write({ user: 'a', n: 2 });
      await writer.flush();
      // The mock shows the open transaction's record 1 (it writes no markers); a broker does not.
      expect((await readTopic(broker.bootstrap, STAGED)).map((r) => r.record.n)).toEqual(broker.mock ? [1] : []);
      await writer.commit(first);
      await writer.flush();
      const second = await writer.preCommit(2);
      expect(second[0]?.checkpointId).toBe(2);
      expect([second[0]?.producerId, second[0]?.producerEpoch]).not.toEqual([first[0]?.producerId, first[0]?.producerEpoch]);
      await writer.commit(second);
      expect((await readTopic(broker.bootstrap, STAGED)).map((r) => r.record.n)).toEqual([1, 2]);
      expect(await writer.preCommit(3)).toEqual([]);
    } finally {
      await writer.close();
    }
  });

  it('commits a pre-committed transaction of a crashed writer on recovery, by its producer id and epoch', async ({ skip }) => {
    if (broker === undefined) return skip();
    const crashed = transactionalWriter(CRASH);
    await crashed.open();
    crashed.write({ user: 'x', n: 1 });
    const pending = await crashed.preCommit(5);
    await crashed.close();
    const successor = transactionalWriter(CRASH, 0, 1, 1);
    await successor.open();
    try {
      await successor.recover(pending, pending);
      await successor.recover(pending, pending);
      successor.write({ user: 'x', n: 2 });
      const next = await successor.preCommit(6);
      const identity = (t: KafkaTransaction | undefined): unknown[] => [t?.producerId, t?.producerEpoch];
      expect(identity(next[0])).not.toEqual(identity(pending[0]));
      await successor.commit(next);
      expect((await readTopic(broker.bootstrap, CRASH)).map((r) => r.record.n).sort()).toEqual([1, 2]);
    } finally {
      await successor.close();
    }
  });

  it('writes at least once with ?delivery=at-least-once, each flush acknowledged', async ({ skip }) => {
    if (broker === undefined) return skip();
    const sink = new KafkaSink(parseKafkaUri(`kafka://${broker.bootstrap}/${ALO}?delivery=at-least-once`), { key: (r) => (r as { k: string }).k });
    const writer = sink.createWriter(sinkContext());
    expect('preCommit' in writer).toBe(false);
    await writer.open();
    try {
      for (let i = 0; i < 30; i++) writer.write({ k: `k${i % 5}`, i });
      await writer.flush();
      await writer.finish();
      const read = await readTopic(broker.bootstrap, ALO);
      expect(read.length).toBe(30);
      for (const { record, split } of read) expect(split).toBe(kafkaSplitId(ALO, partitionOfKey(Buffer.from(String(record.k)), 3)));
    } finally {
      await writer.close();
    }
  });
});
