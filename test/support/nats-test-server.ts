/**
 * The local NATS JetStream server for connector tests: whether it is there (a test skips with a
 * printed reason when it is not, except under SLUICE_REQUIRE_SERVICES=1, where it fails), unique
 * streams per test, and publishing and reading back.
 */
import { randomBytes } from 'node:crypto';
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers as newHeaders, type NatsConnection } from '@nats-io/transport-node';

/** The test server, `SLUICE_NATS_SERVER` or the local default. */
export const NATS_SERVER = process.env.SLUICE_NATS_SERVER ?? '127.0.0.1:4222';

/**
 * Why the NATS tests cannot run, or undefined when they can. Under SLUICE_REQUIRE_SERVICES=1 an
 * absent server throws instead, so the suite fails.
 */
export async function natsSkipReason(): Promise<string | undefined> {
  let reason: string | undefined;
  try {
    const connection = await connect({ servers: NATS_SERVER, reconnect: false, timeout: 2_000 });
    try {
      await (await jetstreamManager(connection)).getAccountInfo();
    } catch (error) {
      reason = `NATS at ${NATS_SERVER} has no JetStream (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      await connection.close();
    }
  } catch (error) {
    reason = `no NATS server at ${NATS_SERVER} (${error instanceof Error ? error.message : String(error)})`;
  }
  if (reason === undefined) return undefined;
  if (process.env.SLUICE_REQUIRE_SERVICES === '1') throw new Error(`${reason}, and SLUICE_REQUIRE_SERVICES=1 requires it`);
  console.log(`skipping the NATS tests: ${reason}`);
  return reason;
}

/** A connection to the test server with its JetStream manager; streams made through it are deleted on `close`. */
export class NatsTestClient {
  private readonly streams: string[] = [];

  private constructor(
    readonly connection: NatsConnection,
    readonly manager: JetStreamManager,
  ) {}

  static async connect(): Promise<NatsTestClient> {
    const connection = await connect({ servers: NATS_SERVER });
    return new NatsTestClient(connection, await jetstreamManager(connection));
  }

  /** Creates a stream with a unique name starting with `prefix`, holding `NAME.>`; returns its name. */
  async createStream(prefix: string, options: { duplicateWindowMs?: number } = {}): Promise<string> {
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    await this.manager.streams.add({ name, subjects: [`${name}.>`], ...(options.duplicateWindowMs === undefined ? {} : { duplicate_window: options.duplicateWindowMs * 1_000_000 }) });
    this.streams.push(name);
    return name;
  }

  /** Publishes payloads (objects are JSON-encoded) to `subject`, each awaited; with headers when given. */
  async publish(subject: string, payloads: readonly (unknown | { body: unknown; headers: Record<string, string> })[], raw = false): Promise<void> {
    const js = jetstream(this.connection);
    const pending: Promise<unknown>[] = [];
    for (const payload of payloads) {
      const withHeaders = typeof payload === 'object' && payload !== null && 'headers' in payload && 'body' in payload;
      const body = withHeaders ? (payload as { body: unknown }).body : payload;
      const data = raw ? (body as string | Uint8Array) : JSON.stringify(body);
      let options: { headers?: ReturnType<typeof newHeaders> } = {};
      if (withHeaders) {
        const h = newHeaders();
        for (const [k, v] of Object.entries((payload as { headers: Record<string, string> }).headers)) h.set(k, v);
        options = { headers: h };
      }
      pending.push(js.publish(subject, data, options));
      if (pending.length >= 512) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  }

  /** Every message of `stream`, in order: subject, seq, body text, headers and message id. */
  async readAll(stream: string): Promise<{ subject: string; seq: number; text: string; headers: Record<string, string[]> }[]> {
    const info = await this.manager.streams.info(stream);
    const total = info.state.messages;
    const out: { subject: string; seq: number; text: string; headers: Record<string, string[]> }[] = [];
    if (total === 0) return out;
    const consumer = await jetstream(this.connection).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    while (out.length < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(5_000, total - out.length), expires: 2_000 });
      for await (const m of batch) {
        const h: Record<string, string[]> = {};
        for (const k of m.headers?.keys() ?? []) h[k] = m.headers!.values(k);
        out.push({ subject: m.subject, seq: m.seq, text: m.string(), headers: h });
      }
    }
    return out;
  }

  /** The JSON bodies of every message of `stream`, in order. */
  async readJson<T = Record<string, unknown>>(stream: string): Promise<T[]> {
    return (await this.readAll(stream)).map((m) => JSON.parse(m.text) as T);
  }

  /** Deletes the streams this client made and closes the connection. */
  async close(): Promise<void> {
    for (const name of this.streams) await this.manager.streams.delete(name).catch(() => undefined);
    await this.connection.close();
  }
}

/** Publishes the lines of JSONL files as raw messages, file i to `${subjectPrefix}.p${i}`. */
export async function publishJsonlFiles(client: NatsTestClient, files: readonly string[], subjectPrefix: string): Promise<number> {
  const { readFileSync } = await import('node:fs');
  let count = 0;
  for (const [i, file] of files.entries()) {
    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
    await client.publish(`${subjectPrefix}.p${i}`, lines, true);
    count += lines.length;
  }
  return count;
}
