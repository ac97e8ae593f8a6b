/** Builds a lookup service from a URI, the way job arguments name sources and sinks. */
import { pathOfFileUri } from '../file/file-uri.ts';
import { RedisLookupService } from '../redis/redis-lookup-service.ts';
import { parseRedisUri } from '../redis/redis-uri.ts';
import { uriScheme } from '../uri-scheme.ts';
import { CachedLookupService, type LookupCacheOptions } from './cached-lookup-service.ts';
import { FileLookupService } from './file-lookup-service.ts';
import { HttpLookupService } from './http-lookup-service.ts';
import type { LookupService } from './lookup-service.ts';

/** What the URI does not tell. */
export interface LookupUriOptions {
  /** The key field of a `file:` JSONL file (required there; unused for HTTP, where the key goes into the URL). */
  readonly keyField?: string;
  /** Wraps the service in a CachedLookupService. */
  readonly cache?: LookupCacheOptions;
  /** Extra request headers for `http:` and `https:`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The argument's name, for errors and for a `redis:` password in `SLUICE_<NAME>_PASSWORD`. */
  readonly name?: string;
}

const SCHEMES = ['http:', 'https:', 'file:', 'redis:'];

/**
 * The lookup service a URI names: `http://host/base` GETs `http://host/base/KEY` (or substitutes
 * `{key}` where the URI has it, e.g. `http://host/products?sku={key}`); `file:PATH` answers from a
 * JSONL file keyed by `keyField`; `redis://host:port/prefix` reads `prefix:KEY` with batched `MGET`
 * (`?type=hash`: `HGETALL`, see `RedisLookupService`). Throws for a missing or unsupported scheme.
 */
export function lookupFromUri(uri: string, options: LookupUriOptions = {}): LookupService {
  const service = baseService(uri, options);
  return options.cache ? new CachedLookupService(service, options.cache) : service;
}

function baseService(uri: string, options: LookupUriOptions): LookupService {
  const scheme = uriScheme(uri);
  switch (scheme) {
    case 'http:':
    case 'https:': {
      const q = uri.indexOf('?');
      if (q < 0) return new HttpLookupService({ baseUrl: uri, headers: options.headers });
      const query = Object.fromEntries(new URLSearchParams(uri.slice(q + 1)));
      return new HttpLookupService({ baseUrl: uri.slice(0, q), query, headers: options.headers });
    }
    case 'file:': {
      if (!options.keyField) throw new Error(`lookup "${uri}": a file: lookup needs the keyField option`);
      return new FileLookupService(pathOfFileUri(uri), { keyField: options.keyField });
    }
    case 'redis:':
      return new RedisLookupService(parseRedisUri(uri, options.name), options.name === undefined ? undefined : `lookup "${options.name}"`);
    default:
      throw new Error(`lookup "${uri}": ${scheme === undefined ? 'no URI scheme' : `unsupported URI scheme "${scheme}"`} (supported: ${SCHEMES.join(', ')})`);
  }
}
