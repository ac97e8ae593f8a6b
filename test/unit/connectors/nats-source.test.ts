/**
 * The NATS source against the local JetStream server: splits, positions through snapshots,
 * start and bounded parameters, message time, headers, malformed messages, and the errors of a
 * wrong address, an unknown stream and refused authentication. Skips with a printed reason when
 * the server is absent (fails under SLUICE_REQUIRE_SERVICES=1).
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollStatus, SourceOutput } from '../../../common/connector/source.ts';
import type { NatsSourceReader } from '../../../connectors/nats/nats-source-reader.ts';
import type { NatsSource } from '../../../connectors/nats/nats-source.ts';
import type { NatsSplit } from '../../../connectors/nats/nats-split.ts';
import { sourceFromUri } from '../../../connectors/registry.ts';
import { NATS_SERVER, natsSkipReason, NatsTestClient } from '../../support/nats-test-server.ts';
import { startNatsServerWithAuth, type OwnNatsServer } from '../../support/nats-own-server.ts';
import { readerContext } from './contexts.ts';

const skip = await natsSkipReason();

/** Records with their timestamps, malformed reports, and ended splits. */
class Output implements SourceOutput<Record<string, unknown>> {
  readonly records: Record<string, unknown>[] = [];
  readonly timestamps: (number | undefined)[] = [];
  readonly malformedLines: { raw: string; error: string }[] = [];
  readonly ended: string[] = [];
  readonly splitOf: string[] = [];
  private split = '';
  collect(record: Record<string, unknown>, timestamp?: number): void {
    this.records.push(record);
    this.timestamps.push(timestamp);
    this.splitOf.push(this.split);
  }
  malformed(raw: string, error: string): void {
    this.malformedLines.push({ raw, error });
  }
  setSplit(id: string): void {
    this.split = id;
  }
  splitEnded(id: string): void {
    this.ended.push(id);
  }
}

/** Polls until `end`, or until `limit` records when given. */
async function poll(reader: NatsSourceReader, output: Output, limit = Infinity, maxRecords = 100): Promise<PollStatus> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = reader.pollNext(output, Math.min(maxRecords, limit - output.records.length - output.malformedLines.length));
    if (status === 'end' || output.records.length + output.malformedLines.length >= limit) return status;
    if (Date.now() > deadline) throw new Error('the reader neither ended nor reached the limit');
    if (status === 'nothing') await reader.available();
  }
}

async function open(uri: string, splits?: NatsSplit[]): Promise<{ source: NatsSource; reader: NatsSourceReader; splits: NatsSplit[] }> {
  const source = sourceFromUri('in', uri) as unknown as NatsSource;
  const own = splits ?? (await source.enumerateSplits());
  const reader = source.createReader(readerContext());
  reader.addSplits(own);
  await reader.open();
  return { source, reader, splits: own };
}

describe.skipIf(skip !== undefined)('NATS source (live)', () => {
  let nats: NatsTestClient;
  beforeAll(async () => {
    nats = await NatsTestClient.connect();
  });
  afterAll(async () => {
    await nats?.close();
  });

  it('reads a bounded stream to its end, in order, with the message time as timestamp', async () => {
    const stream = await nats.createStream('src_bounded');
    const before = Date.now();
    await nats.publish(`${stream}.a`, Array.from({ length: 25 }, (_, i) => ({ i })));
    const { reader, splits } = await open(`nats://${NATS_SERVER}/${stream}?bounded=true`);
    expect(splits).toEqual([{ id: stream, stream, nextSeq: 1, endSeq: 25 }]);
    await nats.publish(`${stream}.a`, [{ i: 'after the start' }]);
    const output = new Output();
    expect(await poll(reader, output)).toBe('end');
    await reader.close();
    expect(output.records).toEqual(Array.from({ length: 25 }, (_, i) => ({ i })));
    expect(output.ended).toEqual([stream]);
    for (const ts of output.timestamps) expect(ts).toBeGreaterThanOrEqual(before - 1_000);
    expect(reader.snapshotState()).toEqual([{ id: stream, stream, nextSeq: 26, endSeq: 25, finished: true }]);
  });

  it('gives a SUBJECT.* stream one split per subject, each read in its own order', async () => {
    const stream = await nats.createStream('src_parts');
    for (const p of ['p2', 'p0', 'p1']) await nats.publish(`${stream}.${p}`, Array.from({ length: 5 }, (_, i) => ({ p, i })));
    await nats.publish(`${stream}.other.x`, [{ p: 'other' }]);
    const { reader, splits } = await open(`nats://${NATS_SERVER}/${stream}/${stream}.*?bounded=true`);
    expect(splits.map((s) => s.id)).toEqual(['p0', 'p1', 'p2'].map((p) => `${stream}/${stream}.${p}`));
    const output = new Output();
    expect(await poll(reader, output)).toBe('end');
    await reader.close();
    for (const p of ['p0', 'p1', 'p2']) {
      const mine = output.records.filter((r) => r.p === p);
      expect(mine.map((r) => r.i)).toEqual([0, 1, 2, 3, 4]);
      expect(new Set(output.splitOf.filter((_, k) => output.records[k]!.p === p))).toEqual(new Set([`${stream}/${stream}.${p}`]));
    }
    expect(output.records).toHaveLength(15);
  });

  it('resumes exactly after the last polled message from a snapshot', async () => {
    const stream = await nats.createStream('src_resume');
    await nats.publish(`${stream}.a`, Array.from({ length: 40 }, (_, i) => ({ i })));
    const first = await open(`nats://${NATS_SERVER}/${stream}?bounded=true`);
    const head = new Output();
    await poll(first.reader, head, 17, 5);
    const snapshot = JSON.parse(JSON.stringify(first.reader.snapshotState())) as NatsSplit[];
    await first.reader.close();
    expect(snapshot).toEqual([{ id: stream, stream, nextSeq: 18, endSeq: 40 }]);
    const second = await open(`nats://${NATS_SERVER}/${stream}?bounded=true`, snapshot);
    const tail = new Output();
    expect(await poll(second.reader, tail)).toBe('end');
    await second.reader.close();
    expect([...head.records, ...tail.records]).toEqual(Array.from({ length: 40 }, (_, i) => ({ i })));
  });

  it('starts at the last message, at a sequence or at a time', async () => {
    const stream = await nats.createStream('src_start');
    await nats.publish(`${stream}.a`, [{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    const fourth = await nats.manager.streams.getMessage(stream, { seq: 4 });
    const middle = fourth!.timestamp;
    const read = async (query: string) => {
      const { reader } = await open(`nats://${NATS_SERVER}/${stream}?bounded=true&${query}`);
      const output = new Output();
      await poll(reader, output);
      await reader.close();
      return output.records.map((r) => r.i);
    };
    expect(await read('start=last')).toEqual([4]);
    expect(await read('start=seq:3')).toEqual([2, 3, 4]);
    expect(await read(`start=time:${middle}`)).toEqual([3, 4]);
    expect(await read('start=first')).toEqual([0, 1, 2, 3, 4]);
  });

  it('an unbounded source waits for new messages and an empty bounded one ends at once', async () => {
    const stream = await nats.createStream('src_live');
    const empty = await open(`nats://${NATS_SERVER}/${stream}?bounded=true`);
    const none = new Output();
    expect(await poll(empty.reader, none)).toBe('end');
    await empty.reader.close();
    const { reader, source } = await open(`nats://${NATS_SERVER}/${stream}`);
    expect(source.bounded).toBe(false);
    const output = new Output();
    expect(reader.pollNext(output, 10)).toBe('nothing');
    await nats.publish(`${stream}.a`, [{ i: 1 }, { i: 2 }]);
    await poll(reader, output, 2);
    expect(reader.pollNext(output, 10)).toBe('nothing');
    await reader.close();
    expect(output.records).toEqual([{ i: 1 }, { i: 2 }]);
  });

  it('paces each subtask to ?rate= messages per second', async () => {
    const stream = await nats.createStream('src_rate');
    await nats.publish(`${stream}.a`, Array.from({ length: 30 }, (_, i) => ({ i })));
    const { reader } = await open(`nats://${NATS_SERVER}/${stream}?bounded=true&rate=100`);
    const output = new Output();
    const started = performance.now();
    expect(await poll(reader, output)).toBe('end');
    const elapsed = performance.now() - started;
    await reader.close();
    expect(output.records).toHaveLength(30);
    // 30 messages at 100 per second take at least 0.29 s after the first.
    expect(elapsed).toBeGreaterThanOrEqual(280);
  });

  it('puts headers in the named field and sends messages that do not decode to malformed', async () => {
    const stream = await nats.createStream('src_bad');
    await nats.publish(`${stream}.a`, [{ body: { ok: 1 }, headers: { trace: 't-1' } }]);
    await nats.publish(`${stream}.a`, ['not json', '[1,2]', new Uint8Array([0x7b, 0xff, 0x7d])], true);
    await nats.publish(`${stream}.a`, [{ ok: 2 }]);
    const { reader } = await open(`nats://${NATS_SERVER}/${stream}?bounded=true&headers=meta`);
    const output = new Output();
    expect(await poll(reader, output)).toBe('end');
    await reader.close();
    expect(output.records).toEqual([{ ok: 1, meta: { trace: 't-1' } }, { ok: 2 }]);
    expect(output.malformedLines.map((m) => m.error)).toEqual([
      expect.stringMatching(new RegExp(`^invalid JSON: .*\\(stream ${stream}, sequence 2, subject ${stream}\\.a\\)$`)),
      expect.stringMatching(/^expected a JSON object, got an array \(stream .*, sequence 3,/),
      expect.stringMatching(/^the message body is not UTF-8 \(stream .*, sequence 4,/),
    ]);
    expect(output.malformedLines[0]!.raw).toBe('not json');
  });

  describe('errors name the argument and the service', () => {
    let auth: OwnNatsServer | undefined;
    afterAll(async () => {
      await auth?.stop();
    });

    it('a wrong address', async () => {
      const port = await closedPort();
      const source = sourceFromUri('in', `nats://127.0.0.1:${port}/S/s.x`);
      await expect(source.enumerateSplits()).rejects.toThrow(
        new RegExp(`^input "in" \\(nats://127\\.0\\.0\\.1:${port}/S/s\\.x\\): cannot connect to the NATS server at 127\\.0\\.0\\.1:${port}: connection refused`),
      );
    });

    it('an unknown stream', async () => {
      const source = sourceFromUri('in', `nats://${NATS_SERVER}/NO_SUCH_STREAM_X`);
      await expect(source.enumerateSplits()).rejects.toThrow(`input "in" (nats://${NATS_SERVER}/NO_SUCH_STREAM_X): stream "NO_SUCH_STREAM_X" does not exist on the NATS server at ${NATS_SERVER}`);
    });

    it('refused authentication', async () => {
      auth = await startNatsServerWithAuth('alice', 'right');
      const source = sourceFromUri('in', `nats://alice:wrong@${auth.address}/S`);
      const error = await source.enumerateSplits().catch((e: unknown) => e as Error);
      expect((error as Error).message).toBe(
        `input "in" (nats://${auth.address}/S): cannot connect to the NATS server at ${auth.address}: authentication refused (user "alice"; put credentials in the URI as nats://USER:PASSWORD@host:port/...)`,
      );
      expect((error as Error).message).not.toContain('wrong');
    });
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
