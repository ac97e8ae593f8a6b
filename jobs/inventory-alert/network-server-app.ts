/** The warehouse-network stock service as a fastify app: `GET /<sku_id>` answers `{sku_id, network_qty}`, or 404. */
import Fastify, { type FastifyInstance } from 'fastify';

/** Reads `{sku_id, network_qty}` JSONL lines; a bad line is reported to `onBadLine` and skipped. */
export function parseNetworkStock(text: string, onBadLine: (line: number, error: string) => void): Map<number, number> {
  const stock = new Map<number, number>();
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      const r = JSON.parse(line) as { sku_id?: unknown; network_qty?: unknown };
      if (typeof r.sku_id !== 'number' || !Number.isSafeInteger(r.sku_id)) throw new Error(`sku_id must be a safe integer, got ${JSON.stringify(r.sku_id ?? null)}`);
      if (typeof r.network_qty !== 'number' || !Number.isSafeInteger(r.network_qty)) throw new Error(`network_qty must be an integer, got ${JSON.stringify(r.network_qty ?? null)}`);
      stock.set(r.sku_id, r.network_qty);
    } catch (error) {
      onBadLine(i + 1, (error as Error).message);
    }
  }
  return stock;
}

/** Builds the app over a table of network stock by `sku_id`; a key that is not an integer answers 400. */
export function networkStockApp(stock: ReadonlyMap<number, number>): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ ok: true }));
  app.get<{ Params: { sku: string } }>('/:sku', async (request, reply) => {
    const sku_id = Number(request.params.sku);
    if (!/^-?\d+$/.test(request.params.sku) || !Number.isSafeInteger(sku_id)) return reply.code(400).send({ error: `sku_id must be a safe integer, got ${JSON.stringify(request.params.sku)}` });
    const network_qty = stock.get(sku_id);
    if (network_qty === undefined) return reply.code(404).send({ error: `sku ${sku_id} has no network stock` });
    return { sku_id, network_qty };
  });
  return app;
}
