/**
 * The Redis sink against the local Redis: writes, two-phase commit with checkpoints, replays,
 * the staging bound and connection errors. Each test has its own key prefix, deleted afterwards.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRedisConnections } from '../../../connectors/redis/redis-connections.ts';
import type { RedisTransaction } from '../../../connectors/redis/redis-sink-writer.ts';
import { sinkFromUri } from '../../../connectors/registry.ts';
import { RedisProxy } from '../../support/redis-proxy.ts';
import { REDIS_ADDRESS, deletePrefix, redisOrSkip, uniquePrefix } from '../../support/redis-test-server.ts';
import { sinkContext } from './contexts.ts';

let redis: Redis | undefined;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await redisOrSkip();
});

afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deletePrefix(redis!, prefix);
});

afterAll(() => {
  redis?.disconnect();
});

/** `text` with the characters special in a regular expression escaped. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function prefixFor(name: string): string {
  const prefix = uniquePrefix(name);
  prefixes.push(prefix);
  return prefix;
}

describe('Redis sink (live)', () => {
  it('writes SET, HSET and ZADD records at flush without checkpoints, and closes its connection', async ({ skip }) => {
    if (redis === undefined) return skip();
    const prefix = prefixFor('plain');
    const strings = sinkFromUri('out', `redis://${REDIS_ADDRESS}/${prefix}?key={id}&ttl=100`).createWriter(sinkContext());
    const hashes = sinkFromUri('out', `redis://${REDIS_ADDRESS}/${prefix}?type=hash&key=h:{shop}&field=minute&value=n`).createWriter(sinkContext());
    const board = sinkFromUri('out', `redis://${REDIS_ADDRESS}/${prefix}?type=zset&key=board&score=sales&member=shop`).createWriter(sinkContext());
    await Promise.all([strings.open(), hashes.open(), board.open()]);
    expect(openRedisConnections()).toBe(1);
    strings.write({ id: 'a', n: 1 });
    hashes.write({ shop: 's1', minute: 5, n: 3 });
    hashes.write({ shop: 's1', minute: 6, n: 4 });
    board.write({ shop: 's1', sales: 10 });
    board.write({ shop: 's2', sales: 30 });
    await Promise.all([strings.flush(), hashes.flush(), board.flush()]);
    await Promise.all([strings.finish(), hashes.finish(), board.finish()]);
    await Promise.all([strings.close(), hashes.close(), board.close()]);
    expect(openRedisConnections()).toBe(0);
    expect(await redis.get(`${prefix}:a`)).toBe('{"id":"a","n":1}');
    expect(await redis.ttl(`${prefix}:a`)).toBeGreaterThan(90);
    expect(await redis.hgetall(`${prefix}:h:s1`)).toEqual({ '5': '3', '6': '4' });
    expect(await redis.zrange(`${prefix}:board`, 0, -1, 'WITHSCORES')).toEqual(['s1', '10', 's2', '30']);
  });

  it('with checkpoints writes nothing until the checkpoint completes, and a replayed transaction rewrites the same values', async ({ skip }) => {
    if (redis === undefined) return skip();
    const prefix = prefixFor('2pc');
    const sink = sinkFromUri('out', `redis://${REDIS_ADDRESS}/${prefix}?type=hash&key={key}&field=window_start&value=count`);
    const writer = sink.createWriter(sinkContext(0, 1, 0, { checkpointing: true })) as RedisSinkWriterUnderTest;
    await writer.open();
    writer.write({ key: 'k1', window_start: 0, count: 1 });
    writer.write({ key: 'k1', window_start: 0, count: 2 });
    writer.write({ key: 'k2', window_start: 0, count: 5 });
    await writer.flush();
    expect(await redis.exists(`${prefix}:k1`)).toBe(0);
    const transactions = await writer.preCommit(1);
    expect(transactions).toEqual([{ checkpointId: 1, commands: [['hset', `${prefix}:k1`, '0', '2'], ['hset', `${prefix}:k2`, '0', '5']] }]);
    writer.write({ key: 'k1', window_start: 10, count: 7 });
    await writer.commit(JSON.parse(JSON.stringify(transactions)) as RedisTransaction[]);
    expect(await redis.hgetall(`${prefix}:k1`)).toEqual({ '0': '2' });
    expect(await redis.hgetall(`${prefix}:k2`)).toEqual({ '0': '5' });
    await writer.close();

    const restored = sink.createWriter(sinkContext(0, 1, 1, { checkpointing: true })) as typeof writer;
    await restored.open();
    await restored.recover(transactions, transactions);
    expect(await redis.hgetall(`${prefix}:k1`)).toEqual({ '0': '2' });
    expect(await restored.preCommit(2)).toEqual([]);
    await restored.close();
  });

  it('fails with an error naming ?maxStagedBytes= when staging outgrows it', async ({ skip }) => {
    if (redis === undefined) return skip();
    const prefix = prefixFor('bound');
    const writer = sinkFromUri('out', `redis://${REDIS_ADDRESS}/${prefix}?key={id}&maxStagedBytes=200`).createWriter(sinkContext(0, 1, 0, { checkpointing: true }));
    await writer.open();
    writer.write({ id: 1, text: 'x'.repeat(50) });
    writer.write({ id: 1, text: 'x'.repeat(50) });
    expect(() => writer.write({ id: 2, text: 'y'.repeat(200) })).toThrow(new RegExp(`redis: staging is full \\(Redis at redis://${escaped(REDIS_ADDRESS)}/0, output "out"\\): .*\\?maxStagedBytes=`));
    await writer.close();
  });

  it('gives one line naming the output for a wrong password and an unreachable host, without the password', async ({ skip }) => {
    if (redis === undefined) return skip();
    const user = `sluice-test-${process.pid}`;
    await redis.call('ACL', 'SETUSER', user, 'on', '>the-password', '~*', '+@all');
    const wrong = sinkFromUri('out', `redis://${user}:not-the-password@${REDIS_ADDRESS}/p?key={id}`).createWriter(sinkContext());
    const error = await wrong.open().then(() => undefined, (e: unknown) => e as Error);
    await wrong.close();
    await redis.call('ACL', 'DELUSER', user);
    expect(error?.message).toMatch(new RegExp(`^redis: cannot connect \\(Redis at redis://${escaped(REDIS_ADDRESS)}/0, output "out"\\): .*WRONGPASS`));
    expect(error?.message).not.toContain('not-the-password');
    expect(error?.message).not.toContain('\n');

    const unreachable = sinkFromUri('out', 'redis://127.0.0.1:1/p?key={id}').createWriter(sinkContext());
    const refused = await unreachable.open().then(() => undefined, (e: unknown) => e as Error);
    await unreachable.close();
    expect(refused?.message).toMatch(/^redis: cannot connect \(Redis at redis:\/\/127\.0\.0\.1:1\/0, output "out"\): .*ECONNREFUSED/);
    expect(openRedisConnections()).toBe(0);
  });

  it('fails a commit when Redis goes away, and a writer opened after it is back gets a new connection', async ({ skip }) => {
    if (redis === undefined) return skip();
    const prefix = prefixFor('lost');
    const proxy = await RedisProxy.start(REDIS_ADDRESS);
    try {
      const sink = sinkFromUri('out', `redis://${proxy.address}/${prefix}?key={id}`);
      const writer = sink.createWriter(sinkContext(0, 1, 0, { checkpointing: true })) as RedisSinkWriterUnderTest;
      await writer.open();
      writer.write({ id: 'a' });
      const transactions = await writer.preCommit(1);
      proxy.cut();
      await expect(writer.commit(transactions)).rejects.toThrow(/^redis: cannot write the commands of checkpoint 1 \(Redis at redis:\/\/127\.0\.0\.1:\d+\/0, output "out"\): the connection was lost/);
      await writer.close();
      expect(openRedisConnections()).toBe(0);
      proxy.restore();
      const restored = sink.createWriter(sinkContext(0, 1, 1, { checkpointing: true })) as RedisSinkWriterUnderTest;
      await restored.open();
      await restored.recover(transactions, transactions);
      await restored.close();
      expect(await redis.get(`${prefix}:a`)).toBe('{"id":"a"}');
    } finally {
      await proxy.stop();
    }
  });
});

/** A Redis sink writer seen with its two-phase-commit methods. */
type RedisSinkWriterUnderTest = ReturnType<ReturnType<typeof sinkFromUri>['createWriter']> & {
  preCommit(id: number): Promise<RedisTransaction[]>;
  commit(t: readonly RedisTransaction[]): Promise<void>;
  recover(c: readonly RedisTransaction[], k: readonly RedisTransaction[]): Promise<void>;
};
