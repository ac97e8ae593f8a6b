/**
 * Runs the benchmarks one after the other, each in its own child process
 * (`node bin/run-ts.js bench/<name>.ts`), and prints the JSON line each one printed. Their logs
 * go to stderr. Names given as arguments select benchmarks; by default all of them run. Exits
 * non-zero if any benchmark failed or printed no JSON line, after running the others.
 *
 * Run with `npm run bench` or `node bin/run-ts.js bench/run-all.ts [name...]`.
 */
import { runBenchmark } from './support/run-benchmark.ts';

/** Every benchmark, in the order they run. */
const BENCHMARKS = [
  'chained-pipeline',
  'keyed-exchange',
  'exchange-latency',
  'codec',
  'window-count',
  'state-access',
  'state-memory',
  'checkpoint-sync',
  'checkpoint-overhead',
  'checkpoint-size',
  'recovery-time',
  'jobmanager-failover',
  'tls-cost',
  'nats-source',
  'nats-sink',
  'kafka-clients',
  'kafka-source',
  'sql-sink',
  'redis-sink',
  'lookups',
] as const;

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}\n`);
  process.exit(2);
}
const selected = requested.length > 0 ? requested : [...BENCHMARKS];

let failed = 0;
for (const name of selected) {
  process.stderr.write(`[run-all] ${name}\n`);
  const { stdout, code } = await runBenchmark(name);
  const lines = stdout.split('\n').filter((line) => line.trim().length > 0);
  if (code !== 0 || lines.length !== 1) {
    failed++;
    process.stderr.write(`[run-all] ${name} failed: exit code ${String(code)}, ${lines.length} stdout line(s)\n`);
  }
  for (const line of lines) process.stdout.write(`${line}\n`);
}
if (failed > 0) process.exitCode = 1;
