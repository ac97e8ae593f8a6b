/**
 * Starts the warehouse-network stock service over a JSONL file of `{sku_id, network_qty}`:
 * `node bin/run-ts.js jobs/inventory-alert/server.ts --stock FILE [--port N] [--host H]`.
 * Prints `{"msg":"listening","url":...}` on stdout once it accepts requests (port 0 picks one).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { networkStockApp, parseNetworkStock } from './network-server-app.ts';

const { values } = parseArgs({ options: { stock: { type: 'string' }, port: { type: 'string', default: '8091' }, host: { type: 'string', default: '127.0.0.1' } } });
if (!values.stock) {
  process.stderr.write('usage: server.ts --stock FILE [--port N] [--host H]\n');
  process.exit(2);
}
const path = values.stock;
let skipped = 0;
const stock = parseNetworkStock(await readFile(path, 'utf8'), (line, error) => {
  skipped++;
  process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'network stock line skipped', path, line, error })}\n`);
});
const app = networkStockApp(stock);
const url = await app.listen({ port: Number(values.port), host: values.host });
process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'listening', url, stock: path, skus: stock.size, skipped })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
