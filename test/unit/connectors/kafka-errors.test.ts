import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkWriter } from '../../../common/connector/sink.ts';
import { KafkaSink } from '../../../connectors/kafka/kafka-sink.ts';
import { KafkaSource } from '../../../connectors/kafka/kafka-source.ts';
import { parseKafkaUri } from '../../../connectors/kafka/kafka-uri.ts';
import { sinkFromUri, sourceFromUri } from '../../../connectors/registry.ts';
import { kafkaOrSkip, type KafkaTestBroker } from '../../support/kafka-mock/kafka-test-broker.ts';
import { readerContext, sinkContext } from './contexts.ts';

const MISSING = `missing-${process.pid}-${Date.now()}`;
let broker: KafkaTestBroker | undefined;

beforeAll(async () => {
  broker = await kafkaOrSkip({ present: 1 }, 1, [MISSING]);
});

afterAll(async () => {
  await broker?.stop();
});

async function failure(run: () => Promise<unknown>): Promise<string> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe('Kafka connector errors', () => {
  it('parses URIs and names the URI and the wrong part', () => {
    const uri = parseKafkaUri('kafka://a:9092,b:9093/orders?group=g&start=timestamp:2026-01-01T00:00:00Z&bounded=true&delivery=at-least-once&key=user');
    expect(uri).toMatchObject({ brokers: ['a:9092', 'b:9093'], topic: 'orders', group: 'g', bounded: true, delivery: 'at-least-once', keyField: 'user' });
    expect(uri.start).toEqual({ kind: 'timestamp', ms: Date.parse('2026-01-01T00:00:00Z') });
    expect(parseKafkaUri('kafka://a:1/t?start=timestamp:1000').start).toEqual({ kind: 'timestamp', ms: 1000 });
    expect(() => parseKafkaUri('kafka://a/t')).toThrow('"kafka://a/t": broker "a" is not host:port');
    expect(() => parseKafkaUri('kafka://a:1/')).toThrow('topic "" is not a Kafka topic name');
    expect(() => parseKafkaUri('kafka://a:1/t?start=soon')).toThrow('start=soon is not earliest, latest or timestamp:');
    expect(() => parseKafkaUri('kafka://a:1/t?colour=red')).toThrow('unknown parameter "colour"');
    expect(parseKafkaUri('kafka://a:1/t?rate=250').rate).toBe(250);
    expect(() => parseKafkaUri('kafka://a:1/t?rate=0')).toThrow('rate=0 is not a positive integer');
    expect(() => parseKafkaUri('kafka://a:1/t?rate=1e3')).toThrow('rate=1e3 is not a positive integer');
    expect(parseKafkaUri('kafka://a:1/t?maxMalformedBytes=4096').maxMalformedBytes).toBe(4096);
    expect(new KafkaSource(parseKafkaUri('kafka://a:1/t?maxMalformedBytes=4096')).createReader(readerContext()).maxMalformedBytes).toBe(4096);
    expect((sourceFromUri('in', 'kafka://a:1/t', { maxMalformedBytes: 99 }) as KafkaSource).createReader(readerContext()).maxMalformedBytes).toBe(99);
    expect(() => parseKafkaUri('kafka://a:1/t?group=a&group=b')).toThrow('group= is given twice');
    expect(() => sourceFromUri('in', 'kafka://a:1/t?bounded=yes')).toThrow('input "in": "kafka://a:1/t?bounded=yes": bounded=yes is not true or false');
    expect(() => sinkFromUri('out', 'kafka://a:1/t?delivery=maybe')).toThrow('output "out": "kafka://a:1/t?delivery=maybe": delivery=maybe is not exactly-once or at-least-once');
  });

  it('says that a topic does not exist, naming the service and the topic, in one line', async ({ skip }) => {
    if (broker === undefined) return skip();
    const source = new KafkaSource(parseKafkaUri(`kafka://${broker.bootstrap}/${MISSING}`));
    expect(await failure(() => source.enumerateSplits())).toBe(`kafka: cannot list the partitions (Kafka at ${broker.bootstrap}, topic "${MISSING}"): the topic does not exist`);
    const reader = source.createReader(readerContext());
    expect(await failure(() => reader.open())).toBe(`kafka: cannot connect (Kafka at ${broker.bootstrap}, topic "${MISSING}"): the topic does not exist`);
    await reader.close();
    const writer: SinkWriter<unknown> = new KafkaSink(parseKafkaUri(`kafka://${broker.bootstrap}/${MISSING}`)).createWriter(sinkContext());
    expect(await failure(() => writer.open())).toBe(`kafka: cannot open the sink (Kafka at ${broker.bootstrap}, topic "${MISSING}"): the topic does not exist`);
    await writer.close();
  });

  it('says that it cannot connect to a wrong address, in one line', async () => {
    const source = new KafkaSource(parseKafkaUri('kafka://127.0.0.1:1/present'));
    const message = await failure(() => source.enumerateSplits());
    expect(message).toMatch(/^kafka: cannot list the partitions \(Kafka at 127\.0\.0\.1:1, topic "present"\): cannot connect: .*ECONNREFUSED/);
    expect(message).not.toContain('\n');
  });
});
