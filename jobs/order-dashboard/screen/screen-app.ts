/**
 * The screen's HTTP server (fastify): the page at `/`, its script and style, and the current
 * metrics as JSON at `/api/metrics`, read from the job's store on each request. Concurrent
 * requests share one read, so many screens cost one read of the store.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { PageAssets } from './page-assets.ts';
import { log } from './screen-log.ts';
import type { MetricsReader, ScreenSnapshot } from './snapshot.ts';

/** Builds the server over a reader and the page's assets (not yet listening). */
export function screenApp(reader: MetricsReader, assets: PageAssets): FastifyInstance {
  const app = Fastify({ logger: false });
  let inFlight: Promise<ScreenSnapshot> | undefined;
  const read = (): Promise<ScreenSnapshot> => {
    inFlight ??= reader.read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(assets.html));
  app.get('/screen.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(assets.css));
  app.get('/screen.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(assets.script));
  app.get('/api/metrics', async (_req, reply) => {
    try {
      const snapshot = await read();
      return reply.header('cache-control', 'no-store').send(snapshot);
    } catch (error) {
      const message = (error as Error).message;
      log.warn({ source: reader.description, error: message }, 'cannot read the metrics');
      return reply.code(503).send({ error: message });
    }
  });
  return app;
}
