import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSource } from '../../../connectors/kafka/kafka-source.ts';
import type { KafkaSplit } from '../../../connectors/kafka/kafka-split.ts';
import { parseKafkaUri } from '../../../connectors/kafka/kafka-uri.ts';
import { kafkaOrSkip, type KafkaTestBroker } from '../../support/kafka-mock/kafka-test-broker.ts';
import { produceMessages } from '../../support/kafka-mock/kafka-test-data.ts';
import { waitFor } from '../../support/wait-for.ts';
import { readerContext } from './contexts.ts';
import { CapturingOutput, drainReader, pollUntilEnd } from './drain-reader.ts';
import kafkajs from 'kafkajs';

const RUN = `${process.pid}-${Date.now()}`;
const TOPICS = { [`src-${RUN}`]: 4, [`late-${RUN}`]: 2, [`grow-${RUN}`]: 4, [`bad-${RUN}`]: 1 };
const [MAIN, LATE, GROW, BAD] = Object.keys(TOPICS) as [string, string, string, string];
const COUNT = 2_000;

let broker: KafkaTestBroker | undefined;

beforeAll(async () => {
  broker = await kafkaOrSkip(TOPICS);
  if (broker === undefined) return;
  const messages = Array.from({ length: COUNT }, (_, i) => ({ value: JSON.stringify({ i }), partition: i % 4 }));
  await produceMessages(broker.bootstrap, MAIN, messages);
  await produceMessages(broker.bootstrap, GROW, messages);
  await produceMessages(broker.bootstrap, BAD, [{ value: '{"ok":1}' }, { value: 'not json' }, { value: '[1,2]' }, { value: '{"ok":2}' }]);
});

afterAll(async () => {
  await broker?.stop();
});

function source(topic: string, query = 'bounded=true'): KafkaSource {
  return new KafkaSource(parseKafkaUri(`kafka://${broker!.bootstrap}/${topic}?${query}`), { discoveryIntervalMs: 50 });
}

describe('Kafka source against a broker', () => {
  it('has one split per partition and reads every record once, bounded by the end offsets at start', async ({ skip }) => {
    if (broker === undefined) return skip();
    const kafka = source(MAIN);
    const splits = await kafka.enumerateSplits();
    expect(splits.map((s) => [s.partition, s.offset, s.end])).toEqual([0, 1, 2, 3].map((p) => [p, 0, COUNT / 4]));
    const drained = await drainReader(kafka.createReader(readerContext()), splits, { maxRecords: 333 });
    expect(drained.records.map((r) => r.i).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  });

  it('resumes from a snapshot without losing or repeating a record, across readers of other parallelism', async ({ skip }) => {
    if (broker === undefined) return skip();
    const kafka = source(MAIN);
    const first = kafka.createReader(readerContext(0, 1));
    first.addSplits(await kafka.enumerateSplits());
    await first.open();
    const head = await pollUntilEnd(first, { limit: 777, maxRecords: 100 });
    const snapshot = first.snapshotState(1);
    await first.close();
    const halves = [snapshot.filter((_, i) => i % 2 === 0), snapshot.filter((_, i) => i % 2 === 1)];
    const rest = await Promise.all(halves.map((splits, i) => drainReader(kafka.createReader(readerContext(i, 2)), splits)));
    const seen = [...head.records, ...rest.flatMap((r) => r.records)].map((r) => Number(r.i));
    expect(seen.length).toBe(COUNT);
    expect(new Set(seen).size).toBe(COUNT);
  });

  it('sends a value that is not a JSON object to malformed and goes on', async ({ skip }) => {
    if (broker === undefined) return skip();
    const kafka = source(BAD);
    const drained = await drainReader(kafka.createReader(readerContext()), await kafka.enumerateSplits());
    expect(drained.records).toEqual([{ ok: 1 }, { ok: 2 }]);
    expect(drained.malformed.map((m) => m.raw)).toEqual(['not json', '[1,2]']);
    expect(drained.malformed[0]?.error).toMatch(/invalid JSON/);
    expect(drained.malformed[1]?.error).toBe('expected a JSON object, got an array');
  });

  it('starts at the latest offset or at a time', async ({ skip }) => {
    if (broker === undefined) return skip();
    await produceMessages(broker.bootstrap, LATE, [{ value: '{"n":1}', partition: 0 }]);
    const latest = await source(LATE, 'start=latest').enumerateSplits();
    expect(latest.map((s) => s.offset)).toEqual([1, 0]);
    const future = await source(LATE, `start=timestamp:${new Date(Date.now() + 3_600_000).toISOString()}&bounded=true`).enumerateSplits();
    expect(future.map((s) => [s.offset, s.end])).toEqual([
      [1, 1],
      [0, 0],
    ]);
    if (broker.mock) {
      console.log('skipping start=timestamp:0: the mock cluster answers every ListOffsets time with the end offset');
      return;
    }
    const past = await source(LATE, 'start=timestamp:0&bounded=true').enumerateSplits();
    expect(past.map((s) => s.offset)).toEqual([0, 0]);
  });

  it('discovers partitions beyond the count its splits know, taking those of its subtask', async ({ skip }) => {
    if (broker === undefined) return skip();
    const kafka = source(GROW, '');
    const known: KafkaSplit[] = (await kafka.enumerateSplits()).slice(0, 2).map((s) => ({ ...s, knownPartitions: 2 }));
    const reader = kafka.createReader(readerContext(1, 2));
    reader.addSplits(known.filter((s) => s.partition % 2 === 1));
    await reader.open();
    try {
      const drained = await pollUntilEnd(reader, { limit: COUNT / 2, timeoutMs: 20_000 });
      expect(new Set(drained.records.map((r) => Number(r.i) % 4))).toEqual(new Set([1, 3]));
      const snapshot = reader.snapshotState();
      expect(snapshot.map((s) => [s.partition, s.knownPartitions, s.marker ?? false])).toEqual([
        [1, 4, false],
        [3, 4, false],
        [-1, 4, true],
      ]);
    } finally {
      await reader.close();
    }
  });

  it('keeps the partition count in a marker split, so that a restored reader without partitions discovers those added since', async ({ skip }) => {
    if (broker === undefined) return skip();
    const kafka = source(GROW, '');
    const empty = kafka.createReader(readerContext(3, 6));
    empty.addSplits([]);
    await empty.open();
    const snapshot = empty.snapshotState(1);
    await empty.close();
    expect(snapshot).toEqual([expect.objectContaining({ partition: -1, knownPartitions: 4, marker: true })]);
    const restored = kafka.createReader(readerContext(3, 6));
    restored.addSplits(snapshot.map((s) => ({ ...s, knownPartitions: 2 })));
    await restored.open();
    try {
      const output = new CapturingOutput<Record<string, unknown>>();
      expect(restored.pollNext(output, 10)).toBe('nothing');
      expect(output.ended).toEqual([snapshot[0]?.id]);
      const drained = await pollUntilEnd(restored, { limit: COUNT / 4, timeoutMs: 20_000 });
      expect(new Set(drained.records.map((r) => Number(r.i) % 4))).toEqual(new Set([3]));
      expect(restored.snapshotState().map((s) => [s.partition, s.knownPartitions])).toEqual([
        [3, 4],
        [-1, 4],
      ]);
    } finally {
      await restored.close();
    }
  });

  it('commits the offsets of a completed checkpoint to ?group= for monitoring', async ({ skip }) => {
    if (broker === undefined) return skip();
    const group = `monitor-${RUN}`;
    const kafka = source(MAIN, `bounded=true&group=${group}`);
    const reader = kafka.createReader(readerContext());
    reader.addSplits(await kafka.enumerateSplits());
    await reader.open();
    try {
      await pollUntilEnd(reader, { limit: 500 });
      const snapshot = reader.snapshotState(7);
      await reader.notifyCheckpointComplete(7);
      const admin = new kafkajs.Kafka({ clientId: 'test-admin', brokers: broker.bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const committed = await waitFor(async () => {
          const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [MAIN] });
          const partitions = offsets?.partitions.map((p) => [p.partition, Number(p.offset)]).sort((a, b) => Number(a[0]) - Number(b[0]));
          return partitions?.every(([, offset]) => Number(offset) >= 0) ? partitions : undefined;
        }, 'committed offsets');
        expect(committed).toEqual(snapshot.map((s) => [s.partition, s.offset]));
      } finally {
        await admin.disconnect();
      }
    } finally {
      await reader.close();
    }
  });
});
