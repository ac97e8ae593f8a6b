/**
 * The query split and the request node: a selection becomes a count request, then one request per
 * page of 100, each with a 2 s timeout per try.
 */
import type { AsyncFunction, AsyncInvokeContext, RuntimeContext } from 'sluice';
import { PAGE_SIZE } from './catalog.ts';
import type { PageResult } from './pool-updates.ts';
import { featuresOf, type Features, type Selection } from './selection.ts';
import { spuSearchFromUri, type SpuSearch } from './spu-search.ts';

/** How long one try of a request may take. */
export const REQUEST_TIMEOUT_MS = 2_000;

/** One page to fetch for a selection (`pages: 0` for a selection with nothing to fetch). */
export interface PageRequest {
  readonly selection: Selection;
  readonly token: string;
  readonly page: number;
  readonly pages: number;
  readonly features: Features | undefined;
}

function trySignal(ctx: AsyncInvokeContext): AbortSignal {
  return AbortSignal.any([ctx.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
}

/** The pages to fetch for `count` matching SPUs. */
export function pageCount(count: number): number {
  return Math.ceil(count / PAGE_SIZE);
}

/** Asks for the count of an upsert and splits it into page requests; a delete needs no request. */
export class CountPages implements AsyncFunction<Selection, PageRequest> {
  private search: SpuSearch | undefined;
  private tokenBase = '';
  private counter = 0;

  constructor(private readonly uri: string) {}

  open(ctx: RuntimeContext): void {
    this.search = spuSearchFromUri(this.uri);
    this.tokenBase = `${ctx.subtaskIndex}.${ctx.attempt}.${Math.random().toString(36).slice(2)}`;
  }

  async asyncInvoke(selection: Selection, ctx: AsyncInvokeContext): Promise<PageRequest[]> {
    const token = `${this.tokenBase}.${this.counter++}`;
    if (selection.op === 'delete') return [{ selection, token, page: 0, pages: 0, features: undefined }];
    const features = featuresOf(selection);
    const pages = pageCount(await this.service().count(features, trySignal(ctx)));
    if (pages === 0) return [{ selection, token, page: 0, pages: 0, features }];
    return Array.from({ length: pages }, (_, i) => ({ selection, token, page: i + 1, pages, features }));
  }

  private service(): SpuSearch {
    if (!this.search) throw new Error('CountPages used before open');
    return this.search;
  }
}

/** Fetches one page of SPU ids. */
export class FetchPage implements AsyncFunction<PageRequest, PageResult> {
  private search: SpuSearch | undefined;

  constructor(private readonly uri: string) {}

  open(): void {
    this.search = spuSearchFromUri(this.uri);
  }

  async asyncInvoke(request: PageRequest, ctx: AsyncInvokeContext): Promise<PageResult> {
    const { selection, token, page, pages, features } = request;
    if (pages === 0 || features === undefined) return { pool_id: selection.pool_id, token, page, pages: 0, spu_ids: [] };
    if (!this.search) throw new Error('FetchPage used before open');
    const spu_ids = await this.search.search(features, page, PAGE_SIZE, trySignal(ctx));
    return { pool_id: selection.pool_id, token, page, pages, spu_ids };
  }
}
