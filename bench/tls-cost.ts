/**
 * What mutual TLS and the cluster token cost: runs `keyed-exchange` and `window-count` with
 * `BENCH_SECURITY=tls` and `BENCH_SECURITY=insecure`, alternating so that both settings see the
 * same machine load, and compares the median throughput of each. Prints one JSON line.
 *
 * Run with `node bin/run-ts.js bench/tls-cost.ts`; `BENCH_ROUNDS` (default 3) sets the runs per
 * setting, `BENCH_RECORDS` the records per run of each benchmark.
 */
import { emit, envInt, log, round } from './support/harness.ts';
import { runBenchmark } from './support/run-benchmark.ts';

const ROUNDS = envInt('BENCH_ROUNDS', 3);
const BENCHMARKS = ['keyed-exchange', 'window-count'] as const;
const SETTINGS = ['tls', 'insecure'] as const;
/** The most throughput TLS may cost, as a fraction of the insecure run's. */
const TARGET_COST = 0.15;

/** Runs one benchmark with one security setting; resolves with the throughput it printed. */
async function runOnce(name: string, security: string): Promise<number> {
  const { stdout, code } = await runBenchmark(name, { BENCH_SECURITY: security });
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed = code === 0 && line !== '' ? (JSON.parse(line) as { recordsPerSec?: unknown; eventsPerSec?: unknown }) : {};
  const rate = parsed.recordsPerSec ?? parsed.eventsPerSec;
  if (typeof rate !== 'number') throw new Error(`${name} with ${security} exited ${String(code)} and printed no rate: ${line}`);
  return rate;
}

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const results: Record<string, unknown> = { bench: 'tls-cost', rounds: ROUNDS, targetCost: TARGET_COST };
let met = true;
for (const name of BENCHMARKS) {
  const rates: Record<(typeof SETTINGS)[number], number[]> = { tls: [], insecure: [] };
  for (let round_ = 0; round_ < ROUNDS; round_++) {
    const order = round_ % 2 === 0 ? SETTINGS : [...SETTINGS].reverse();
    for (const security of order) {
      const rate = await runOnce(name, security);
      log(`${name} ${security} round ${round_ + 1}: ${round(rate)}/s`);
      rates[security].push(rate);
    }
  }
  const tls = median(rates.tls);
  const insecure = median(rates.insecure);
  const cost = 1 - tls / insecure;
  met &&= cost <= TARGET_COST;
  results[name] = { tlsPerSec: round(tls), insecurePerSec: round(insecure), cost: round(cost, 4), tlsRuns: rates.tls.map((r) => round(r)), insecureRuns: rates.insecure.map((r) => round(r)) };
}
emit({ ...results, met });
