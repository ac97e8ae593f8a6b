/**
 * Starts the SPU search service over a catalog JSONL file:
 * `node bin/run-ts.js jobs/product-selection/server.ts --catalog FILE [--port N] [--host H]`.
 * Prints `{"msg":"listening","url":...}` on stdout once it accepts requests (port 0 picks one).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Catalog } from './catalog.ts';
import { spuSearchApp } from './spu-search-server.ts';

const { values } = parseArgs({
  options: { catalog: { type: 'string' }, port: { type: 'string', default: '8090' }, host: { type: 'string', default: '127.0.0.1' } },
});
if (!values.catalog) {
  process.stderr.write('usage: server.ts --catalog FILE [--port N] [--host H]\n');
  process.exit(2);
}
const path = values.catalog;
let bad = 0;
const catalog = Catalog.fromJsonl(await readFile(path, 'utf8'), (line, error) => {
  bad++;
  process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'catalog line skipped', path, line, error })}\n`);
});
const app = spuSearchApp(catalog);
const url = await app.listen({ port: Number(values.port), host: values.host });
process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'listening', url, catalog: path, skipped: bad })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
