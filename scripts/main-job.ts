/**
 * The README's main job (`npm start`): order-dashboard on the embedded local cluster over orders
 * generated at a live rate, until Ctrl-C. `--bounded N` (`npm run start:bounded`) generates N
 * orders as fast as the cluster takes them and ends when the job is FINISHED; `--out DIR` moves
 * the outputs (default `out/order-dashboard`). Prints where each output goes; the live run also
 * starts the job's big screen (`jobs/order-dashboard/screen/server.ts`) over those outputs and
 * prints its address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const OUTPUTS = ['minute_sales', 'category_rank', 'totals', 'brand_rank', 'top_users', 'gender_share', 'gender_10min'];
const LIVE_RATE = 200;
const BOUNDED_RATE = 100_000;
/** Event-time ms between bounded orders: 20 000 of them span about 17 minutes of metrics. */
const BOUNDED_STEP_MS = 50;

/** Reads `--bounded N` and `--out DIR`. */
function parseArgs(argv: readonly string[]): { bounded: number | undefined; out: string } {
  let bounded: number | undefined;
  let out = join('out', 'order-dashboard');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--bounded') bounded = Number(argv[++i]);
    else if (arg === '--out') out = argv[++i] ?? '';
    else throw new Error(`main-job: unknown argument "${arg}"; usage: main-job.ts [--bounded N] [--out DIR]`);
  }
  if (bounded !== undefined && !(Number.isSafeInteger(bounded) && bounded > 0)) throw new Error('main-job: --bounded needs a positive integer count of orders');
  if (out === '') throw new Error('main-job: --out needs a directory');
  return { bounded, out };
}

const { bounded, out } = parseArgs(process.argv.slice(2));
const orders = bounded === undefined ? `datagen:?rate=${LIVE_RATE}&start=${Date.now()}` : `datagen:?rate=${BOUNDED_RATE}&count=${bounded}&step=${BOUNDED_STEP_MS}`;
process.stdout.write(
  bounded === undefined
    ? `order-dashboard over ${LIVE_RATE} generated orders per second; metrics commit each minute (Ctrl-C stops)\n`
    : `order-dashboard over ${bounded} generated orders\n`,
);
for (const name of OUTPUTS) process.stdout.write(`  ${name} -> ${join(out, name)}/\n`);

/** Starts the big screen over the committed outputs on a free port; resolves with it and its URL. */
async function startScreen(): Promise<{ screen: ChildProcess; url: string }> {
  const screen = spawn(process.execPath, ['bin/run-ts.js', 'jobs/order-dashboard/screen/server.ts', '--out', out, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: screen.stdout! });
  const [url] = (await Promise.race([once(lines, 'line'), once(screen, 'exit').then(() => [undefined])])) as [string | undefined];
  if (url === undefined) throw new Error('main-job: the big screen exited before printing its address');
  return { screen, url };
}

const screen = bounded === undefined ? await startScreen() : undefined;
if (screen) process.stdout.write(`Big screen: ${screen.url}\n`);
const args = ['bin/sluice.js', 'run', 'jobs/order-dashboard', '-p', '2', '--checkpoint-interval', '1000', '--', `orders=${orders}`, ...OUTPUTS.map((name) => `${name}=file:${join(out, name)}`)];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    child.kill(signal);
    screen?.screen.kill(signal);
  });
}
child.once('close', (code, signal) => {
  screen?.screen.kill('SIGTERM');
  process.exit(code ?? (signal === null ? 1 : 0));
});
