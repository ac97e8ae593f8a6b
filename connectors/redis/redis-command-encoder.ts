/**
 * Turns sink records into Redis write commands (`SET`, `HSET`, `ZADD`), as a `redis://` URI says.
 */
import type { RedisUri } from './redis-uri.ts';

/** The key of a record, from a job's key selector. */
export type RedisKeySelector = (record: unknown) => string | number;

/**
 * One write: the command's arguments, name first, for example `['set', 'p:k', '{"n":1}']`.
 * `identity` names what it overwrites, so that a later write of the same identity replaces it.
 */
export interface RedisWrite {
  readonly identity: string;
  readonly args: readonly string[];
}

/** The text a record's field is written as: strings as they are, anything else as JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
}

/** A key template: literal text and `{field}` references, for example `{shop}:{minute}` or `board`. */
function compileKey(template: string): (record: Record<string, unknown>) => string {
  const parts = template.split(/(\{[^{}]+\})/).filter((part) => part !== '');
  return (record) => {
    let key = '';
    for (const part of parts) key += part.startsWith('{') && part.endsWith('}') ? fieldText(record, part.slice(1, -1)) : part;
    return key;
  };
}

function fieldText(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (value === undefined || value === null) throw new Error(`the record has no field "${field}"`);
  return text(value);
}

function asObject(record: unknown): Record<string, unknown> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new Error(`a record must be an object, got ${JSON.stringify(record)}`);
  return record as Record<string, unknown>;
}

/**
 * Encodes records for one URI. The key is `prefix:` followed by the key selector's result or the
 * `?key=` template (literal text and `{field}` references); `string` writes `SET key value` (`?value=` field, default the record as
 * JSON), `hash` writes `HSET key field value` (`?field=` names the field holding the hash
 * field; without it, every field of the record), `zset` writes `ZADD key score member`
 * (`?score=` required, `?member=` default the record as JSON). With `?ttl=`, each write sets the
 * key's expiry. Throws at construction for a missing required parameter, and from `encode` with a
 * message naming the field a record lacks.
 */
export class RedisCommandEncoder {
  private readonly keyOf: (record: Record<string, unknown>) => string;
  private readonly prefix: string;

  constructor(
    private readonly uri: RedisUri,
    keySelector?: RedisKeySelector,
  ) {
    if (keySelector === undefined && uri.key === undefined) throw new Error(`${uri.display}: a Redis sink needs ?key= (a template such as {id} or {shop}:{minute}) or a key selector`);
    if (uri.type === 'zset' && uri.score === undefined) throw new Error(`${uri.display}: ?type=zset needs ?score= (the field holding the score)`);
    this.keyOf = keySelector === undefined ? compileKey(uri.key as string) : (record) => text(keySelector(record));
    this.prefix = uri.prefix === '' ? '' : `${uri.prefix}:`;
  }

  /** The writes of one record: the command and, for hashes and sorted sets with a TTL, its `EXPIRE`. */
  encode(input: unknown): RedisWrite[] {
    const record = asObject(input);
    const key = this.prefix + this.keyOf(record);
    const { uri } = this;
    const ttl = uri.ttlSeconds === undefined ? undefined : String(uri.ttlSeconds);
    const value = (field: string | undefined): string => (field === undefined ? JSON.stringify(record) : fieldText(record, field));
    const expire = (writes: RedisWrite[]): RedisWrite[] => {
      if (ttl !== undefined) writes.push({ identity: `e\0${key}`, args: ['expire', key, ttl] });
      return writes;
    };
    switch (uri.type) {
      case 'string':
        return [{ identity: `s\0${key}`, args: ttl === undefined ? ['set', key, value(uri.value)] : ['set', key, value(uri.value), 'EX', ttl] }];
      case 'hash': {
        if (uri.field !== undefined) {
          const field = fieldText(record, uri.field);
          return expire([{ identity: `h\0${key}\0${field}`, args: ['hset', key, field, value(uri.value)] }]);
        }
        const args = ['hset', key];
        for (const [name, v] of Object.entries(record)) if (v !== undefined) args.push(name, text(v));
        return expire([{ identity: `h\0${key}\0${args.filter((_, i) => i >= 2 && i % 2 === 0).join('\0')}`, args }]);
      }
      case 'zset': {
        const score = Number(record[uri.score as string]);
        if (!Number.isFinite(score)) throw new Error(`the field "${uri.score}" must hold a number for the score, got ${JSON.stringify(record[uri.score as string])}`);
        const member = value(uri.member);
        return expire([{ identity: `z\0${key}\0${member}`, args: ['zadd', key, String(score), member] }]);
      }
    }
  }
}
