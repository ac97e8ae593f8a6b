/**
 * The Redis lookup service against the local Redis: GET/MGET and HGETALL, coalesced per tick,
 * through lookupFromUri. Each test has its own key prefix, deleted afterwards.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lookupFromUri } from '../../../connectors/lookup/lookup-from-uri.ts';
import { openRedisConnections } from '../../../connectors/redis/redis-connections.ts';
import type { RedisLookupService } from '../../../connectors/redis/redis-lookup-service.ts';
import { REDIS_ADDRESS, deletePrefix, redisOrSkip, uniquePrefix } from '../../support/redis-test-server.ts';

let redis: Redis | undefined;
let prefix: string;

beforeAll(async () => {
  redis = await redisOrSkip();
  prefix = uniquePrefix('lookup');
  if (redis === undefined) return;
  await redis.mset(`${prefix}:1`, '{"name":"one"}', `${prefix}:2`, 'plain text');
  await redis.hset(`${prefix}:h1`, { brand: 'acme', tier: '2' });
});

afterEach(async () => {
  expect(openRedisConnections()).toBe(0);
});

afterAll(async () => {
  if (redis === undefined) return;
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

/** Counts the commands Redis executes while `run` runs, from INFO commandstats. */
async function commandsDuring(names: readonly string[], run: () => Promise<void>): Promise<Record<string, number>> {
  const read = async (): Promise<Record<string, number>> => {
    const info = await redis!.info('commandstats');
    return Object.fromEntries(names.map((name) => [name, Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0)]));
  };
  const before = await read();
  await run();
  const after = await read();
  return Object.fromEntries(names.map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)]));
}

describe('Redis lookup service (live)', () => {
  it('answers string keys, JSON parsed when it is JSON, with one MGET for the keys of one tick', async ({ skip }) => {
    if (redis === undefined) return skip();
    const service = lookupFromUri(`redis://${REDIS_ADDRESS}/${prefix}`) as RedisLookupService;
    let results: unknown[] = [];
    const calls = await commandsDuring(['mget', 'get'], async () => {
      results = await Promise.all([service.lookup(1), service.lookup('2'), service.lookup('missing')]);
    });
    expect(results).toEqual([{ name: 'one' }, 'plain text', undefined]);
    expect(calls.mget).toBe(1);
    expect(calls.get).toBe(0);
    await service.close();
  });

  it('answers hashes with HGETALL, an absent hash as undefined', async ({ skip }) => {
    if (redis === undefined) return skip();
    const service = lookupFromUri(`redis://${REDIS_ADDRESS}/${prefix}?type=hash`) as RedisLookupService;
    expect(await Promise.all([service.lookup('h1'), service.lookup('h2')])).toEqual([{ brand: 'acme', tier: '2' }, undefined]);
    await service.close();
  });

  it('rejects an aborted request alone, and an unreachable Redis with an error naming the lookup', async ({ skip }) => {
    if (redis === undefined) return skip();
    const service = lookupFromUri(`redis://${REDIS_ADDRESS}/${prefix}`) as RedisLookupService;
    const controller = new AbortController();
    const aborted = service.lookup(1, controller.signal);
    const other = service.lookup(1);
    controller.abort(new Error('timed out'));
    await expect(aborted).rejects.toThrow('timed out');
    await expect(other).resolves.toEqual({ name: 'one' });
    await service.close();

    const down = lookupFromUri('redis://127.0.0.1:1/x', { name: 'dims' }) as RedisLookupService;
    await expect(down.lookup(1)).rejects.toThrow(/^redis: lookup failed \(Redis at redis:\/\/127\.0\.0\.1:1\/0, lookup "dims"\): .*ECONNREFUSED/);
    await down.close();
  });
});
