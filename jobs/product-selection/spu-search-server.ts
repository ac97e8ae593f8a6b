/** The SPU search service as a fastify app over a catalog: `GET /count` and `GET /search`. */
import Fastify, { type FastifyInstance } from 'fastify';
import { Catalog, PAGE_SIZE } from './catalog.ts';
import { featuresFromQuery } from './selection.ts';

/** The largest page a client may ask for. */
const MAX_PAGE_SIZE = 1_000;

function positive(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`query parameter ${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Builds the app; a bad query answers 400 with `{error}` naming the parameter. */
export function spuSearchApp(catalog: Catalog): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get<{ Querystring: Record<string, string | undefined> }>('/count', async (request, reply) => {
    try {
      return { count: catalog.count(featuresFromQuery(request.query)) };
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
  });
  app.get<{ Querystring: Record<string, string | undefined> }>('/search', async (request, reply) => {
    try {
      const features = featuresFromQuery(request.query);
      const page = positive(request.query.page, 'page', 1);
      const pageSize = Math.min(positive(request.query.page_size, 'page_size', PAGE_SIZE), MAX_PAGE_SIZE);
      return { items: catalog.search(features, page, pageSize) };
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
  });
  app.get('/health', async () => ({ ok: true }));
  return app;
}
