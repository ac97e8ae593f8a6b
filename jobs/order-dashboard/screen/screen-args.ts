/** The command line of the screen server: `--out DIR | --redis URI [--port N] [--host H]`. */
import { parseArgs } from 'node:util';

/** What the screen reads and where it listens. */
export interface ScreenArgs {
  source: { kind: 'files'; dir: string } | { kind: 'redis'; uri: string };
  host: string;
  port: number;
}

/** The usage line, printed with an argument error. */
export const USAGE = 'usage: node bin/run-ts.js jobs/order-dashboard/screen/server.ts --out DIR | --redis redis://host:port/PREFIX [--port N] [--host H]';

/** The default port of the screen. */
export const DEFAULT_PORT = 8088;

/** Parses the arguments; throws naming the argument that is wrong. */
export function parseScreenArgs(argv: string[]): ScreenArgs {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, redis: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if ((values.out === undefined) === (values.redis === undefined)) throw new Error('give exactly one of --out DIR and --redis URI');
  const portText = values.port ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got "${portText}"`);
  const source = values.out !== undefined ? { kind: 'files' as const, dir: values.out } : { kind: 'redis' as const, uri: values.redis as string };
  return { source, host: values.host ?? '127.0.0.1', port };
}
