/** FileLookupService, CachedLookupService (TTL, LRU, with an injected clock) and lookupFromUri. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedLookupService } from '../../../connectors/lookup/cached-lookup-service.ts';
import { FileLookupService } from '../../../connectors/lookup/file-lookup-service.ts';
import { HttpLookupService } from '../../../connectors/lookup/http-lookup-service.ts';
import { lookupFromUri } from '../../../connectors/lookup/lookup-from-uri.ts';
import type { LookupKey, LookupService } from '../../../connectors/lookup/lookup-service.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-lookup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jsonl(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A service that counts calls and answers `value-KEY`, or undefined for keys starting with "missing". */
class CountingService implements LookupService<string> {
  calls: LookupKey[] = [];
  failNext = false;
  async lookup(key: LookupKey): Promise<string | undefined> {
    this.calls.push(key);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('backend down');
    }
    return String(key).startsWith('missing') ? undefined : `value-${key}`;
  }
}

describe('FileLookupService', () => {
  it('loads a JSONL file keyed by a field and answers through promises; keys compare as text', async () => {
    const path = jsonl('products.jsonl', '\uFEFF{"sku":"p1","name":"kettle"}\r\n\n{"sku":42,"name":"mug"}\n{"sku":"p1","name":"kettle v2"}\n');
    const service = new FileLookupService(path, { keyField: 'sku' });
    const pending = service.lookup('p1');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ sku: 'p1', name: 'kettle v2' });
    expect(await service.lookup(42)).toEqual({ sku: 42, name: 'mug' });
    expect(await service.lookup('42')).toEqual({ sku: 42, name: 'mug' });
    expect(await service.lookup('nope')).toBeUndefined();
    expect(await service.load()).toBe(2);
  });

  it('names the bad line and loads again on the next lookup', async () => {
    const path = jsonl('bad.jsonl', '{"sku":"a"}\n{"name":"no key"}\n');
    const service = new FileLookupService(path, { keyField: 'sku' });
    await expect(service.lookup('a')).rejects.toThrow(/bad\.jsonl:2: field "sku" is missing/);
    writeFileSync(path, '{"sku":"a"}\n');
    expect(await service.lookup('a')).toEqual({ sku: 'a' });
  });

  it('rejects an aborted lookup', async () => {
    const service = new FileLookupService(jsonl('one.jsonl', '{"k":"a"}\n'), { keyField: 'k' });
    await expect(service.lookup('a', AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
  });
});

describe('CachedLookupService', () => {
  it('answers from cache until the TTL passes, on the injected clock', async () => {
    let now = 1000;
    const inner = new CountingService();
    const cache = new CachedLookupService(inner, { ttlMs: 100, maxEntries: 10, clock: () => now });
    expect(await cache.lookup('a')).toBe('value-a');
    now = 1099;
    expect(await cache.lookup('a')).toBe('value-a');
    expect(inner.calls).toEqual(['a']);
    now = 1100;
    expect(await cache.lookup('a')).toBe('value-a');
    expect(inner.calls).toEqual(['a', 'a']);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 2 });
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const inner = new CountingService();
    const cache = new CachedLookupService(inner, { ttlMs: 10_000, maxEntries: 2, clock: () => 0 });
    await cache.lookup('a');
    await cache.lookup('b');
    await cache.lookup('a');
    await cache.lookup('c');
    expect(cache.size).toBe(2);
    await cache.lookup('a');
    await cache.lookup('b');
    expect(inner.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('caches misses unless told not to, never caches failures, and tells 1 from "1"', async () => {
    const inner = new CountingService();
    const cache = new CachedLookupService(inner, { ttlMs: 10_000, maxEntries: 10, clock: () => 0 });
    expect(await cache.lookup('missing-1')).toBeUndefined();
    expect(await cache.lookup('missing-1')).toBeUndefined();
    inner.failNext = true;
    await expect(cache.lookup('x')).rejects.toThrow('backend down');
    expect(await cache.lookup('x')).toBe('value-x');
    await cache.lookup(1);
    await cache.lookup('1');
    expect(inner.calls).toEqual(['missing-1', 'x', 'x', 1, '1']);

    const noMisses = new CachedLookupService(inner, { ttlMs: 10_000, maxEntries: 10, cacheMisses: false, clock: () => 0 });
    inner.calls = [];
    await noMisses.lookup('missing-2');
    await noMisses.lookup('missing-2');
    expect(inner.calls).toEqual(['missing-2', 'missing-2']);
  });

  it('validates its options', () => {
    expect(() => new CachedLookupService(new CountingService(), { ttlMs: 0, maxEntries: 1 })).toThrow(/ttlMs/);
    expect(() => new CachedLookupService(new CountingService(), { ttlMs: 1, maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe('lookupFromUri', () => {
  it('builds file and HTTP services, optionally cached', async () => {
    const path = jsonl('uri.jsonl', '{"id":"x","v":1}\n');
    const file = lookupFromUri(`file:${path}`, { keyField: 'id' });
    expect(file).toBeInstanceOf(FileLookupService);
    expect(await file.lookup('x')).toEqual({ id: 'x', v: 1 });
    const http = lookupFromUri('http://catalog:8080/products');
    expect((http as HttpLookupService).urlFor('p 1')).toBe('http://catalog:8080/products/p%201');
    const query = lookupFromUri('https://catalog/search?sku={key}&region=eu') as HttpLookupService;
    expect(query.urlFor('p1')).toBe('https://catalog/search?sku=p1&region=eu');
    const templated = lookupFromUri('http://catalog/products/{key}/details') as HttpLookupService;
    expect(templated.urlFor('p1')).toBe('http://catalog/products/p1/details');
    expect(lookupFromUri(`file:${path}`, { keyField: 'id', cache: { ttlMs: 1000, maxEntries: 10 } })).toBeInstanceOf(CachedLookupService);
  });

  it('rejects missing options and unsupported schemes', () => {
    expect(() => lookupFromUri('file:x.jsonl')).toThrow(/needs the keyField/);
    expect(() => lookupFromUri('nats://x')).toThrow(/unsupported URI scheme "nats:"/);
    expect(() => lookupFromUri('x.jsonl')).toThrow(/no URI scheme/);
  });
});
