/**
 * Lookups against Redis for async I/O: the keys asked for in one tick go out as one `MGET` (or one
 * pipeline of `HGETALL`).
 */
import type { LookupKey, LookupService } from '../lookup/lookup-service.ts';
import { acquireRedis, lostConnection, releaseRedis, type RedisConnection } from './redis-connections.ts';
import { redisError } from './redis-errors.ts';
import type { RedisUri } from './redis-uri.ts';

interface Pending {
  readonly key: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Keys per `MGET` or pipeline, so that one reply stays small. */
const MAX_BATCH = 1_000;

/**
 * Answers `lookup(key)` from the Redis key `prefix:key`. With `?type=string` (the default) the
 * value is parsed as JSON when it is JSON, and returned as the string otherwise; with
 * `?type=hash` it is the hash as an object of strings. A missing key (or an empty hash) gives
 * undefined. Requests made in the same tick are coalesced into one `MGET` or one pipeline of
 * `HGETALL`, up to 1000 keys each, so that an async I/O operator with capacity 100 makes a round
 * trip per batch of records, not per record.
 *
 * The connection is the TaskManager's shared one for the URI, taken at the first lookup; call
 * `close` when the function that uses the service closes. An abort rejects that one request; a
 * failing Redis rejects the requests of the batch with an Error naming the URI.
 */
export class RedisLookupService implements LookupService {
  private connection: Promise<RedisConnection> | undefined;
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly prefix: string;

  constructor(
    private readonly uri: RedisUri,
    private readonly argument?: string,
  ) {
    if (uri.type === 'zset') throw new Error(`${uri.display}: a Redis lookup reads ?type=string or ?type=hash, not zset`);
    this.prefix = uri.prefix === '' ? '' : `${uri.prefix}:`;
  }

  lookup(key: LookupKey, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.queue.push({
        key: this.prefix + String(key),
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.send());
      }
    });
  }

  /** Gives the shared connection back; a lookup after it takes it again (as after a lost connection). */
  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = undefined;
    if (pending === undefined) return;
    let connection: RedisConnection;
    try {
      connection = await pending;
    } catch {
      return;
    }
    await releaseRedis(this.uri, connection);
  }

  private send(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (let start = 0; start < queue.length; start += MAX_BATCH) void this.fetch(queue.slice(start, start + MAX_BATCH));
  }

  private async fetch(batch: readonly Pending[]): Promise<void> {
    let connection: RedisConnection | undefined;
    try {
      connection = await this.connect();
      const values = this.uri.type === 'hash' ? await hashes(connection, batch) : await strings(connection, batch);
      for (const [index, request] of batch.entries()) request.resolve(values[index]);
    } catch (error) {
      const failure = redisError('lookup failed', this.uri, this.argument, (connection === undefined ? undefined : lostConnection(connection)) ?? error);
      for (const request of batch) request.reject(failure);
      if (connection?.client.status === 'end') await this.close();
    }
  }

  private connect(): Promise<RedisConnection> {
    if (this.connection === undefined) {
      const connection = acquireRedis(this.uri);
      this.connection = connection;
      connection.catch(() => {
        if (this.connection === connection) this.connection = undefined;
      });
    }
    return this.connection;
  }
}

async function strings(connection: RedisConnection, batch: readonly Pending[]): Promise<unknown[]> {
  const values = await connection.client.mget(batch.map((request) => request.key));
  return values.map((value) => (value === null ? undefined : parse(value)));
}

async function hashes(connection: RedisConnection, batch: readonly Pending[]): Promise<unknown[]> {
  const pipeline = connection.client.pipeline();
  for (const request of batch) pipeline.hgetall(request.key);
  const replies = (await pipeline.exec()) ?? [];
  return batch.map((_, index) => {
    const [error, value] = replies[index] ?? [new Error('no reply'), undefined];
    if (error) throw error;
    const hash = value as Record<string, string>;
    return Object.keys(hash).length === 0 ? undefined : hash;
  });
}

/** A stored string as JSON when it parses, otherwise the string itself. */
function parse(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
