import { describe, expect, it } from 'vitest';
import { RedisCommandEncoder } from '../../../connectors/redis/redis-command-encoder.ts';
import { parseRedisUri, passwordVariableOf } from '../../../connectors/redis/redis-uri.ts';
import { sinkFromUri } from '../../../connectors/registry.ts';

describe('redis:// URIs', () => {
  it('reads host, port, prefix, db and the write parameters', () => {
    const uri = parseRedisUri('redis://10.0.0.5:6380/dash?db=3&type=hash&key={shop}:{minute}&field=sku&value=sales&ttl=60');
    expect(uri).toMatchObject({ host: '10.0.0.5', port: 6380, db: 3, prefix: 'dash', type: 'hash', key: '{shop}:{minute}', field: 'sku', value: 'sales', ttlSeconds: 60 });
    expect(uri.display).toBe('redis://10.0.0.5:6380/3');
  });

  it('takes the password from the URI, or else from SLUICE_<NAME>_PASSWORD, and never shows it', () => {
    expect(parseRedisUri('redis://:s3cret@h:1/p?key={k}').password).toBe('s3cret');
    expect(passwordVariableOf('big-screen')).toBe('SLUICE_BIG_SCREEN_PASSWORD');
    const fromEnv = parseRedisUri('redis://h:1/p?key={k}', 'big-screen', { SLUICE_BIG_SCREEN_PASSWORD: 'envpw' });
    expect(fromEnv.password).toBe('envpw');
    expect(fromEnv.display).not.toContain('envpw');
    expect(() => parseRedisUri('redis://:s3cret@h:1/p?colour=red')).toThrow(/unknown parameter colour=/);
    expect(() => parseRedisUri('redis://:s3cret@h:1/p?colour=red')).not.toThrow(/s3cret/);
  });

  it('refuses bad parameters, naming them', () => {
    expect(() => parseRedisUri('redis://h/p?type=list')).toThrow(/type= must be one of string, hash, zset/);
    expect(() => parseRedisUri('redis://h/p?ttl=0')).toThrow(/ttl= must be an integer of at least 1/);
    expect(() => parseRedisUri('redis://h/p?db=x')).toThrow(/db= must be an integer/);
    expect(() => sinkFromUri('out', 'redis://h/p')).toThrow(/output "out".*needs \?key=/);
    expect(() => sinkFromUri('out', 'redis://h/p?type=zset&key={k}')).toThrow(/needs \?score=/);
  });
});

describe('RedisCommandEncoder', () => {
  const encode = (uri: string, record: unknown): string[][] => new RedisCommandEncoder(parseRedisUri(uri)).encode(record).map((w) => [...w.args]);

  it('writes SET with the record as JSON by default, or one field, with a TTL', () => {
    expect(encode('redis://h/p?key={id}', { id: 7, n: 1 })).toEqual([['set', 'p:7', '{"id":7,"n":1}']]);
    expect(encode('redis://h/p?key={shop}:{minute}&value=n&ttl=9', { shop: 's', minute: 3, n: 1 })).toEqual([['set', 'p:s:3', '1', 'EX', '9']]);
    expect(encode('redis://h/?key={id}', { id: 'a' })).toEqual([['set', 'a', '{"id":"a"}']]);
  });

  it('writes HSET of one field or of every field, and ZADD, each with EXPIRE under a TTL', () => {
    expect(encode('redis://h/p?type=hash&key={k}&field=f&value=v&ttl=5', { k: 'a', f: 'x', v: 2 })).toEqual([
      ['hset', 'p:a', 'x', '2'],
      ['expire', 'p:a', '5'],
    ]);
    expect(encode('redis://h/p?type=hash&key={k}', { k: 'a', n: 1, s: 'z' })).toEqual([['hset', 'p:a', 'k', 'a', 'n', '1', 's', 'z']]);
    expect(encode('redis://h/p?type=zset&key=board&score=sales&member=shop', { sales: 12, shop: 's1' })).toEqual([['zadd', 'p:board', '12', 's1']]);
  });

  it('names the field a record lacks', () => {
    expect(() => encode('redis://h/p?key={shop}:{minute}', { shop: 's' })).toThrow(/no field "minute"/);
    expect(() => encode('redis://h/p?type=zset&key={k}&score=s', { k: 'a', s: 'many' })).toThrow(/"s" must hold a number/);
  });
});
