/** Lookup services for async enrichment: HTTP, in-memory JSONL, a cache, and URI resolution. */
export type { LookupKey, LookupService } from './lookup-service.ts';
export { HttpLookupService, HttpLookupError, type HttpLookupOptions } from './http-lookup-service.ts';
export { FileLookupService, type FileLookupOptions } from './file-lookup-service.ts';
export { CachedLookupService, type LookupCacheOptions } from './cached-lookup-service.ts';
export { lookupFromUri, type LookupUriOptions } from './lookup-from-uri.ts';
