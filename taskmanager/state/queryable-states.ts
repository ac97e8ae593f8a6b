/**
 * The states of one task that its operators declared queryable (a descriptor's `queryable` name),
 * each with a reader by key, so that the JobManager's REST API can read them while the job runs.
 * Readers run in the task's thread of control (as mail), never concurrently with records.
 */
import type { KeyValue } from '../../common/key-groups.ts';

/** What a read of a queryable state found. */
export type QueryAnswer = { readonly status: 'FOUND'; readonly value: unknown } | { readonly status: 'UNKNOWN_KEY' } | { readonly status: 'UNKNOWN_STATE' };

/** Reads the value under a key; undefined when the key has none. */
export type QueryableReader = (key: KeyValue) => unknown;

/** The registry of one task. */
export class QueryableStates {
  private readonly readers = new Map<string, QueryableReader>();

  /** Declares a queryable state; the first registration of a name wins (an operator registers once per open). */
  register(name: string, reader: QueryableReader): void {
    if (!this.readers.has(name)) this.readers.set(name, reader);
  }

  /** Reads `name` under `key`. */
  query(name: string, key: KeyValue): QueryAnswer {
    const reader = this.readers.get(name);
    if (!reader) return { status: 'UNKNOWN_STATE' };
    const value = reader(key);
    return value === undefined ? { status: 'UNKNOWN_KEY' } : { status: 'FOUND', value };
  }
}
