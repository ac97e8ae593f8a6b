/**
 * The NATS sink against the local JetStream server: nothing is visible before the checkpoint
 * completes, a commit publishes each record once with a deterministic message id, a replay of
 * the same transactions (as after a crash between publish and acknowledgement) adds nothing,
 * headers go out, and errors name the stream. Skips with a printed reason when the server is
 * absent (fails under SLUICE_REQUIRE_SERVICES=1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsSinkWriter, NatsTransaction } from '../../../connectors/nats/nats-sink-writer.ts';
import { sinkFromUri } from '../../../connectors/registry.ts';
import { NATS_SERVER, natsSkipReason, NatsTestClient } from '../../support/nats-test-server.ts';
import { sinkContext } from './contexts.ts';

const skip = await natsSkipReason();

function writer(uri: string, checkpointing = true, subtask = 0): NatsSinkWriter {
  return sinkFromUri('out', uri).createWriter(sinkContext(subtask, 2, 0, { checkpointing })) as NatsSinkWriter;
}

describe.skipIf(skip !== undefined)('NATS sink (live)', () => {
  let nats: NatsTestClient;
  beforeAll(async () => {
    nats = await NatsTestClient.connect();
  });
  afterAll(async () => {
    await nats?.close();
  });

  it('publishes a checkpoint\'s records only when it completes, once each, with ids job/operator/subtask/checkpoint/writer/index', async () => {
    const stream = await nats.createStream('sink_2pc');
    const w = writer(`nats://${NATS_SERVER}/${stream}/${stream}.out`, true, 1);
    await w.open();
    for (let i = 0; i < 3; i++) w.write({ i });
    await w.flush();
    const first = await w.preCommit(7);
    w.write({ i: 3 });
    await w.flush();
    expect(await nats.readAll(stream)).toEqual([]);
    await w.commit(first);
    const messages = await nats.readAll(stream);
    expect(messages.map((m) => JSON.parse(m.text))).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(messages.map((m) => m.headers['Nats-Msg-Id']?.[0])).toEqual([0, 1, 2].map((i) => expect.stringMatching(new RegExp(`^job-1/sink-1/1/7/[0-9a-f]{12}/${i}$`))));
    expect(messages.every((m) => m.subject === `${stream}.out`)).toBe(true);
    const second = await w.preCommit(8);
    expect(await w.preCommit(9)).toEqual([]);
    await w.commit(second);
    expect(await nats.readJson(stream)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }]);
    await w.close();
  });

  it('a replay of committed transactions by a new writer (recover) is dropped by the duplicate window', async () => {
    const stream = await nats.createStream('sink_replay');
    const uri = `nats://${NATS_SERVER}/${stream}/${stream}.out`;
    const w = writer(uri);
    await w.open();
    for (let i = 0; i < 50; i++) w.write({ i });
    const transactions = JSON.parse(JSON.stringify(await w.preCommit(1))) as NatsTransaction[];
    await w.commit(transactions.map((t) => ({ ...t, messages: t.messages.slice(0, 20) })));
    await w.close();
    const restarted = writer(uri);
    await restarted.open();
    await restarted.recover(transactions, transactions);
    await restarted.commit(transactions);
    await restarted.close();
    expect(await nats.readJson(stream)).toEqual(Array.from({ length: 50 }, (_, i) => ({ i })));
  });

  it('sends the named field as headers, and without checkpointing publishes at flush', async () => {
    const stream = await nats.createStream('sink_headers');
    const w = writer(`nats://${NATS_SERVER}/${stream}/${stream}.out?headers=meta`, false);
    await w.open();
    w.write({ a: 1, meta: { trace: 't-9', tag: ['x', 'y'] } });
    w.write({ a: 2 });
    await w.flush();
    const messages = await nats.readAll(stream);
    expect(messages.map((m) => JSON.parse(m.text))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(messages[0]!.headers).toMatchObject({ trace: ['t-9'], tag: ['x', 'y'] });
    expect(() => w.write({ meta: 'nope' })).toThrow(/the header field "meta" must be an object/);
    await w.close();
  });

  it('names the stream that does not exist and the subject no stream captures', async () => {
    const missing = writer(`nats://${NATS_SERVER}/NO_SUCH_SINK_STREAM/x.y`);
    await expect(missing.open()).rejects.toThrow(`NATS sink (nats://${NATS_SERVER}/NO_SUCH_SINK_STREAM/x.y): stream "NO_SUCH_SINK_STREAM" does not exist on the NATS server at ${NATS_SERVER}`);
    await missing.close();
    const stream = await nats.createStream('sink_subject');
    const stray = writer(`nats://${NATS_SERVER}/${stream}/elsewhere.out`, false);
    await stray.open();
    stray.write({ a: 1 });
    await expect(stray.flush()).rejects.toThrow(`NATS sink (nats://${NATS_SERVER}/${stream}/elsewhere.out): publishing to "elsewhere.out": no stream on the NATS server at ${NATS_SERVER} captures the subject`);
    await stray.close();
  });
});
