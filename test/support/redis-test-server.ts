/**
 * Test helper: the local Redis the connector tests run against, or a reason to skip.
 */
import { Redis } from 'ioredis';

/** Where the tests look for Redis; `SLUICE_REDIS=host:port` points them elsewhere. */
export const REDIS_ADDRESS = process.env.SLUICE_REDIS ?? '127.0.0.1:6379';

const REQUIRE_SERVICES = process.env.SLUICE_REQUIRE_SERVICES === '1';

/** A client of the test Redis, for setting up and reading back keys. */
export function testRedisClient(): Redis {
  const [host, port] = REDIS_ADDRESS.split(':');
  return new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

/**
 * A connected client when Redis answers PING; otherwise prints why and returns undefined (the
 * test then skips), or throws under `SLUICE_REQUIRE_SERVICES=1`.
 */
export async function redisOrSkip(): Promise<Redis | undefined> {
  const client = testRedisClient();
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    const cause = lastError ?? error;
    const reason = `no Redis at ${REDIS_ADDRESS}: ${cause instanceof Error ? cause.message : String(cause)}`;
    if (REQUIRE_SERVICES) throw new Error(`SLUICE_REQUIRE_SERVICES=1 but there is ${reason}`);
    console.log(`skipping the Redis tests: ${reason}`);
    return undefined;
  }
}

/** A key prefix no other test or run uses. */
export function uniquePrefix(name: string): string {
  return `sluice-test:${name}:${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Deletes every key under `prefix`. */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}
