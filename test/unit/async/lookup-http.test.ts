/**
 * HttpLookupService against a real HTTP server (port 0), alone and inside an async function:
 * a failing service, a flaky one, and a slow one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AsyncFailure, AsyncFunction } from '../../../client/api/async-function.ts';
import { asyncWaitSpec, type UnorderedAsyncWaitOptions } from '../../../client/api/async-wait-options.ts';
import { OutputTag } from '../../../client/api/functions.ts';
import { HttpLookupError, HttpLookupService } from '../../../connectors/lookup/http-lookup-service.ts';
import type { LookupService } from '../../../connectors/lookup/lookup-service.ts';
import { AsyncWaitOperator } from '../../../taskmanager/operators/async-wait-operator.ts';
import { ProcessingTimeService } from '../../../taskmanager/task/processing-time-service.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';
import { waitFor } from '../../support/wait-for.ts';
import { settle } from './async-test-kit.ts';

interface Order {
  id: number;
  sku: string;
}

const PRODUCTS: Record<string, { name: string; price: number }> = {
  p1: { name: 'kettle', price: 30 },
  p2: { name: 'toaster', price: 45 },
};

/** The test service: `/products/ID`, `/failing/ID` (503), `/flaky/ID` (500 twice per id), `/slow/ID` (answers after 2 s). */
class CatalogServer {
  readonly hits = new Map<string, number>();
  readonly aborted: string[] = [];
  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  private readonly timers = new Set<NodeJS.Timeout>();

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, route, id = ''] = url.pathname.split('/');
    const path = `${route}/${id}`;
    const hits = (this.hits.get(path) ?? 0) + 1;
    this.hits.set(path, hits);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const product = PRODUCTS[id];
    switch (route) {
      case 'products':
        return product ? json(200, product) : json(404, { error: 'not found' });
      case 'search':
        return json(200, { sku: url.searchParams.get('sku'), region: url.searchParams.get('region') });
      case 'failing':
        return json(503, { error: 'catalog down' });
      case 'flaky':
        return hits <= 2 ? json(500, { error: `hiccup ${hits}` }) : json(200, product ?? null);
      case 'slow': {
        res.on('close', () => {
          if (!res.writableFinished) this.aborted.push(path);
        });
        const timer = setTimeout(() => json(200, product), 2000);
        this.timers.add(timer);
        return;
      }
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{not json');
        return;
      default:
        return json(404, {});
    }
  }
}

const MALFORMED = new OutputTag<AsyncFailure<Order>>('malformed');

/** Enriches an order with its product; an unknown product drops the order. */
function enrich(service: LookupService): AsyncFunction<Order, Order & { product: unknown }> {
  return {
    async asyncInvoke(order, { signal }) {
      const product = await service.lookup(order.sku, signal);
      return product === undefined ? [] : { ...order, product };
    },
  };
}

let server: CatalogServer;
let base: string;
const services: ProcessingTimeService[] = [];

beforeAll(async () => {
  server = new CatalogServer();
  base = await server.start();
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  for (const s of services.splice(0)) s.close();
  server.hits.clear();
});

/** An async wait operator on the wall clock, its timers delivered as mail. */
function openOperator<OUT>(fn: AsyncFunction<Order, OUT>, options: UnorderedAsyncWaitOptions<Order>): Promise<OperatorHarness<AsyncWaitOperator>> {
  const spec = asyncWaitSpec('unordered', options, undefined);
  return OperatorHarness.open((setup) => {
    const service = new ProcessingTimeService((mail) => setup.enqueue(mail));
    services.push(service);
    return new AsyncWaitOperator({ ...setup, processingTime: service }, fn as AsyncFunction<unknown, unknown>, spec);
  });
}

async function drive(h: OperatorHarness, done: () => boolean, what: string): Promise<void> {
  await waitFor(async () => (await settle(h), done()), what, 10_000, 5);
}

describe('HttpLookupService', () => {
  it('returns the JSON body, undefined for 404, and rejects other statuses with HttpLookupError', async () => {
    const products = new HttpLookupService({ baseUrl: `${base}/products/` });
    expect(products.urlFor('a b')).toBe(`${base}/products/a%20b`);
    expect(await products.lookup('p1')).toEqual(PRODUCTS.p1);
    expect(await products.lookup('nope')).toBeUndefined();
    const failing = new HttpLookupService({ baseUrl: `${base}/failing` });
    const error = await failing.lookup('p1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpLookupError);
    expect((error as HttpLookupError).status).toBe(503);
    expect((error as Error).message).toMatch(/answered 503: .*catalog down/);
    await expect(new HttpLookupService({ baseUrl: `${base}/garbage` }).lookup('x')).rejects.toThrow(/not JSON/);
  });

  it('puts the key into a path template or the query', async () => {
    const search = new HttpLookupService({ baseUrl: `${base}/search`, query: { sku: '{key}', region: 'eu' } });
    expect(search.urlFor('a&b')).toBe(`${base}/search?sku=a%26b&region=eu`);
    expect(await search.lookup('p2')).toEqual({ sku: 'p2', region: 'eu' });
    const templated = new HttpLookupService({ baseUrl: base, path: 'products/{key}' });
    expect(await templated.lookup('p2')).toEqual(PRODUCTS.p2);
  });
});

describe('async enrichment through HTTP lookups', () => {
  it('enriches orders and drops unknown products', async () => {
    const h = await openOperator(enrich(new HttpLookupService({ baseUrl: `${base}/products` })), { capacity: 2 });
    const orders: Order[] = [
      { id: 1, sku: 'p1' },
      { id: 2, sku: 'unknown' },
      { id: 3, sku: 'p2' },
    ];
    for (const o of orders) h.processElement(o, o.id);
    await h.operator.finish();
    expect(h.values<Order>().map((o) => o.id).sort()).toEqual([1, 3]);
    await h.close();
  });

  it('retries a failing service, then sends the order to malformed with the error and keeps running', async () => {
    const fn = enrich(new HttpLookupService({ baseUrl: `${base}/failing` }));
    const h = await openOperator(fn, {
      retry: { maxAttempts: 3, initialBackoffMs: 5, retryOn: (e) => e instanceof HttpLookupError && e.status >= 500 },
      onFailure: MALFORMED,
    });
    h.processElement({ id: 1, sku: 'p1' }, 11);
    await drive(h, () => h.sideValues('malformed').length === 1, 'the failure');
    expect(server.hits.get('failing/p1')).toBe(3);
    expect(h.sideValues<AsyncFailure<Order>>('malformed')[0]).toMatchObject({ input: { id: 1, sku: 'p1' }, attempts: 3, timedOut: false });
    expect(h.sideValues<AsyncFailure<Order>>('malformed')[0]!.error).toMatch(/answered 503/);
    expect(h.output.side.get('malformed')?.[0]?.timestamp).toBe(11);
    expect(h.operator.blocked).toBe(false);
    await h.close();
  });

  it('fails the task for a failing service by default', async () => {
    const h = await openOperator(enrich(new HttpLookupService({ baseUrl: `${base}/failing` })), {});
    h.processElement({ id: 1, sku: 'p1' });
    let thrown: unknown;
    await waitFor(async () => {
      try {
        await settle(h);
      } catch (error) {
        thrown = error;
      }
      return thrown !== undefined;
    }, 'the mail to throw', 10_000, 5);
    expect(String(thrown)).toMatch(/failed after 1 attempt: GET .* answered 503/);
    await h.close();
  });

  it('succeeds on the third attempt against a flaky service', async () => {
    const h = await openOperator(enrich(new HttpLookupService({ baseUrl: `${base}/flaky` })), { retry: { maxAttempts: 3, initialBackoffMs: 5 } });
    h.processElement({ id: 7, sku: 'p2' });
    await drive(h, () => h.values().length === 1, 'the enriched order');
    expect(h.values()).toEqual([{ id: 7, sku: 'p2', product: PRODUCTS.p2 }]);
    expect(server.hits.get('flaky/p2')).toBe(3);
    await h.close();
  });

  it('times out against a slow service: the fallback is emitted and the HTTP request aborted', async () => {
    const fn: AsyncFunction<Order, unknown> = { ...enrich(new HttpLookupService({ baseUrl: `${base}/slow` })), timeout: (o) => ({ ...o, product: null }) };
    const h = await openOperator(fn, { timeoutMs: 100 });
    h.processElement({ id: 1, sku: 'p1' });
    await drive(h, () => h.values().length === 1, 'the fallback');
    expect(h.values()).toEqual([{ id: 1, sku: 'p1', product: null }]);
    await waitFor(() => server.aborted.includes('slow/p1'), 'the server to see the request aborted', 5000, 5);
    await h.close();
  });

  it('sends a timed-out order to malformed when there is no fallback', async () => {
    const h = await openOperator(enrich(new HttpLookupService({ baseUrl: `${base}/slow` })), { timeoutMs: 100, onFailure: MALFORMED });
    h.processElement({ id: 2, sku: 'p2' });
    await h.operator.finish();
    expect(h.sideValues('malformed')).toEqual([{ input: { id: 2, sku: 'p2' }, error: 'async request timed out after 100 ms', attempts: 1, timedOut: true }]);
    await h.close();
  });
});
