/**
 * One Redis connection per TaskManager and URI, shared by the sink writers and lookup services
 * of that process that name it, and closed when the last of them is done.
 */
import { Redis } from 'ioredis';
import type { RedisUri } from './redis-uri.ts';

/** How long a connection attempt may take before it fails. */
const CONNECT_TIMEOUT_MS = 5_000;

/** A shared connection: the client and the last error its socket reported. */
export interface RedisConnection {
  readonly client: Redis;
  /** The last error the client emitted (for example ECONNREFUSED), to explain a closed connection. */
  readonly lastError: () => Error | undefined;
}

interface Entry {
  readonly connection: RedisConnection;
  readonly ready: Promise<void>;
  users: number;
}

const entries = new Map<string, Entry>();

/** The pool key of a URI: where and as whom, not the prefix or the write options. */
function keyOf(uri: RedisUri): string {
  return `${uri.host}:${uri.port}/${uri.db}/${uri.username ?? ''}/${uri.password ?? ''}`;
}

/**
 * The shared connection of `uri`, connected. A connection that was lost is replaced, never
 * reconnected behind the caller's back: a lost connection fails the commands in flight, so that
 * the task fails and the job recovers from its checkpoint. Each call must be paired with one
 * `releaseRedis`. Rejects with the client's error when the connection cannot be made.
 */
export async function acquireRedis(uri: RedisUri): Promise<RedisConnection> {
  const key = keyOf(uri);
  let entry = entries.get(key);
  if (entry === undefined || entry.connection.client.status === 'end') {
    entry = open(uri);
    entries.set(key, entry);
  }
  entry.users++;
  try {
    await entry.ready;
  } catch (error) {
    await release(key, entry);
    throw error;
  }
  return entry.connection;
}

/** Gives back a connection of `acquireRedis`; the last user closes it. */
export async function releaseRedis(uri: RedisUri, connection: RedisConnection): Promise<void> {
  const key = keyOf(uri);
  const entry = entries.get(key);
  if (entry !== undefined && entry.connection === connection) {
    await release(key, entry);
    return;
  }
  connection.client.disconnect();
}

/** When the connection is gone: an Error saying so, with what the socket last reported. */
export function lostConnection(connection: RedisConnection): Error | undefined {
  if (connection.client.status === 'ready') return undefined;
  const last = connection.lastError();
  return new Error(last === undefined ? 'the connection was lost' : `the connection was lost: ${last.message}`, { cause: last });
}

/** How many shared connections are open in this process, for tests. */
export function openRedisConnections(): number {
  return entries.size;
}

async function release(key: string, entry: Entry): Promise<void> {
  entry.users--;
  if (entry.users > 0) return;
  entries.delete(key);
  const client = entry.connection.client;
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

function open(uri: RedisUri): Entry {
  let lastError: Error | undefined;
  const client = new Redis({
    host: uri.host,
    port: uri.port,
    db: uri.db,
    username: uri.username,
    password: uri.password,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
  });
  client.on('error', (error: Error) => {
    lastError = error;
  });
  const ready = client.connect().catch((error: unknown) => {
    client.disconnect();
    throw lastError ?? error;
  });
  ready.catch(() => undefined);
  return { connection: { client, lastError: () => lastError }, ready, users: 0 };
}
