/**
 * The `sp` lookup service, as the job calls it: over HTTP (the shipped `server.ts`) or from a
 * catalog file that the TaskManager loads, both through the same promise-based path.
 */
import { readFile } from 'node:fs/promises';
import { Catalog } from './catalog.ts';
import { isId, type Id } from './ids.ts';
import { featuresQuery, type Features } from './selection.ts';

/** Counts and pages of the SPUs that match a pool's features. */
export interface SpuSearch {
  count(features: Features, signal: AbortSignal): Promise<number>;
  /** The `spu_id`s of page `page` (from 1), ascending. */
  search(features: Features, page: number, pageSize: number, signal: AbortSignal): Promise<Id[]>;
}

/** Asks the SPU search server: `GET /count?<features>` and `GET /search?<features>&page=P&page_size=S`. */
export class HttpSpuSearch implements SpuSearch {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  async count(features: Features, signal: AbortSignal): Promise<number> {
    const body = await this.get(`/count?${featuresQuery(features).toString()}`, signal);
    const count = (body as { count?: unknown }).count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new Error(`SPU search at ${this.base}: /count answered ${JSON.stringify(body)}, not {count}`);
    return count;
  }

  async search(features: Features, page: number, pageSize: number, signal: AbortSignal): Promise<Id[]> {
    const query = featuresQuery(features);
    query.set('page', String(page));
    query.set('page_size', String(pageSize));
    const body = await this.get(`/search?${query.toString()}`, signal);
    const items = (body as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new Error(`SPU search at ${this.base}: /search answered without an items array`);
    return items.map((item: unknown) => {
      const id = (item as { spu_id?: unknown } | null)?.spu_id;
      if (!isId(id)) throw new Error(`SPU search at ${this.base}: an item has no valid spu_id: ${JSON.stringify(item)}`);
      return id;
    });
  }

  private async get(path: string, signal: AbortSignal): Promise<unknown> {
    const url = `${this.base}${path}`;
    const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`GET ${url} answered a body that is not JSON: ${text.slice(0, 200)}`);
    }
  }
}

/** Answers from a catalog JSONL file, loaded once on first use; bad catalog lines are skipped. */
export class FileSpuSearch implements SpuSearch {
  private loading: Promise<Catalog> | undefined;

  constructor(readonly path: string) {}

  /** The catalog, loading it the first time. */
  catalog(): Promise<Catalog> {
    this.loading ??= readFile(this.path, 'utf8').then(
      (text) => Catalog.fromJsonl(text, () => {}),
      (error: unknown) => {
        this.loading = undefined;
        throw new Error(`SPU catalog ${this.path}: ${(error as Error).message}`);
      },
    );
    return this.loading;
  }

  async count(features: Features, signal: AbortSignal): Promise<number> {
    const catalog = await this.catalog();
    signal.throwIfAborted();
    return catalog.count(features);
  }

  async search(features: Features, page: number, pageSize: number, signal: AbortSignal): Promise<Id[]> {
    const catalog = await this.catalog();
    signal.throwIfAborted();
    return catalog.search(features, page, pageSize).map((item) => item.spu_id);
  }
}

/** The SPU search a `sp=` argument names: `http://host:port` or `file:catalog.jsonl`. */
export function spuSearchFromUri(uri: string): SpuSearch {
  if (uri.startsWith('http://') || uri.startsWith('https://')) return new HttpSpuSearch(uri);
  if (uri.startsWith('file:')) return new FileSpuSearch(uri.slice('file:'.length).replace(/^\/\/(?=\/)/, ''));
  throw new Error(`sp=${uri}: the SPU search service must be http://host:port or file:catalog.jsonl`);
}
