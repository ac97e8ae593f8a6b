/**
 * The big screen of order-dashboard: serves the page and the live metrics, read from the job's
 * committed output files (`--out DIR`) or from Redis (`--redis redis://host:port/PREFIX`), and
 * prints its URL on stdout. Runs until SIGINT or SIGTERM.
 */
import { resolve } from 'node:path';
import { FileMetricsReader } from './file-metrics.ts';
import { loadPageAssets } from './page-assets.ts';
import { parseRedisLocation, RedisMetricsReader } from './redis-metrics.ts';
import { parseScreenArgs, USAGE } from './screen-args.ts';
import { screenApp } from './screen-app.ts';
import { log } from './screen-log.ts';
import type { MetricsReader } from './snapshot.ts';

let args;
let reader: MetricsReader;
try {
  args = parseScreenArgs(process.argv.slice(2));
  reader = args.source.kind === 'files' ? new FileMetricsReader(resolve(args.source.dir)) : new RedisMetricsReader(parseRedisLocation(args.source.uri));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const app = screenApp(reader, await loadPageAssets());
await app.listen({ host: args.host, port: args.port });
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : args.port;
const url = `http://${args.host.includes(':') ? `[${args.host}]` : args.host}:${port}/`;
log.info({ url, source: reader.description }, 'big screen serving');
process.stdout.write(`${url}\n`);

const stop = async (): Promise<void> => {
  await app.close();
  await reader.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
