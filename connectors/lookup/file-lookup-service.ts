/** Lookups against a JSONL file held in memory: small reference data, test doubles. */
import { readFile } from 'node:fs/promises';
import type { LookupKey, LookupService } from './lookup-service.ts';

/** Which field of each JSON object is its key. */
export interface FileLookupOptions {
  readonly keyField: string;
}

/**
 * Loads a JSONL file (one JSON object per line, blank lines skipped) on first use and answers
 * from memory, through the same promise-based path as remote services. Keys are compared as
 * text (42 finds "42"); a later line with the same key replaces an earlier one. A line that is not
 * an object with a string or number key fails the load, naming the line; the next lookup tries again.
 */
export class FileLookupService implements LookupService<Record<string, unknown>> {
  private loading: Promise<Map<string, Record<string, unknown>>> | undefined;

  constructor(
    readonly path: string,
    private readonly options: FileLookupOptions,
  ) {
    if (!options.keyField) throw new Error('FileLookupService needs a keyField');
  }

  /** Loads the file now rather than at the first lookup; resolves to the number of keys. */
  async load(): Promise<number> {
    return (await this.index()).size;
  }

  async lookup(key: LookupKey, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    signal?.throwIfAborted();
    const index = await this.index();
    signal?.throwIfAborted();
    return index.get(String(key));
  }

  private index(): Promise<Map<string, Record<string, unknown>>> {
    this.loading ??= this.read().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async read(): Promise<Map<string, Record<string, unknown>>> {
    const text = await readFile(this.path, 'utf8');
    const index = new Map<string, Record<string, unknown>>();
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      const where = `${this.path}:${i + 1}`;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        throw new Error(`${where}: invalid JSON (${(error as Error).message})`);
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new Error(`${where}: expected a JSON object`);
      const key = (record as Record<string, unknown>)[this.options.keyField];
      if (typeof key !== 'string' && typeof key !== 'number') throw new Error(`${where}: field "${this.options.keyField}" is missing or not a string or number`);
      index.set(String(key), record as Record<string, unknown>);
    }
    return index;
  }
}
