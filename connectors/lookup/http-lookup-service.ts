/** Lookups against an HTTP service answering JSON: one GET per key. */
import type { LookupKey, LookupService } from './lookup-service.ts';

/** Where and how to ask. `{key}` in `baseUrl`, `path` or query values is replaced by the key. */
export interface HttpLookupOptions {
  /** For example `http://catalog:8080/api`; a trailing slash is ignored. */
  readonly baseUrl: string;
  /**
   * Appended to the base after a slash, URL-encoded key substituted. Default `{key}` when neither
   * the base URL nor the query mentions `{key}`, otherwise nothing.
   */
  readonly path?: string;
  /** Query parameters, for example `{ sku: '{key}' }`. */
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch to use; default the global one. */
  readonly fetch?: typeof fetch;
}

/** A non-2xx answer other than 404, or a body that is not JSON; `status` lets `retryOn` pick 5xx. */
export class HttpLookupError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'HttpLookupError';
  }
}

/**
 * GETs `${baseUrl}/${path}?${query}` with the key substituted: 2xx with a JSON body gives the
 * parsed body (an empty body or 204 gives undefined), 404 gives undefined, anything else rejects
 * with an HttpLookupError. Network errors and aborts reject as fetch does.
 */
export class HttpLookupService implements LookupService {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpLookupOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** The URL asked for `key`. */
  urlFor(key: LookupKey): string {
    const encoded = encodeURIComponent(String(key));
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const query = Object.entries(this.options.query ?? {});
    const keyElsewhere = base.includes('{key}') || query.some(([, v]) => v.includes('{key}'));
    const path = this.options.path ?? (keyElsewhere ? '' : '{key}');
    let url = (path === '' ? base : `${base}/${path.replace(/^\/+/, '')}`).replaceAll('{key}', encoded);
    if (query.length > 0) {
      const params = new URLSearchParams(query.map(([k, v]) => [k, v.replaceAll('{key}', String(key))]));
      url += `${url.includes('?') ? '&' : '?'}${params.toString()}`;
    }
    return url;
  }

  async lookup(key: LookupKey, signal?: AbortSignal): Promise<unknown> {
    const url = this.urlFor(key);
    const response = await this.fetchImpl(url, { method: 'GET', headers: { accept: 'application/json', ...this.options.headers }, signal });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    const text = await response.text();
    if (!response.ok) throw new HttpLookupError(`GET ${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, response.status);
    if (response.status === 204 || text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HttpLookupError(`GET ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, response.status);
    }
  }
}
