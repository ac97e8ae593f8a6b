/** Point lookups by key against an external store: what async enrichment functions call. */

/** A lookup key; numbers and strings with the same text name the same entry in the built-in services. */
export type LookupKey = string | number;

/** Answers "what is stored under this key?" asynchronously. */
export interface LookupService<V = unknown> {
  /** The value under `key`, or undefined when there is none. Rejects on failure, or when `signal` aborts. */
  lookup(key: LookupKey, signal?: AbortSignal): Promise<V | undefined>;
}
