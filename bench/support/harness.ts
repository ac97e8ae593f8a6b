/**
 * What the cluster benchmarks share: a cluster of real processes, a job run to completion, result
 * files, number formatting and the one JSON line each benchmark prints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubmitJobOptions } from '../../client/cluster-client.ts';
import type { LocalClusterOptions } from '../../client/local-cluster.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import { MiniCluster } from '../../test/support/mini-cluster.ts';
import { readSinkResults, type SinkResult } from '../jobs/support/sink-result.ts';

/** Absolute path of a job module under `bench/jobs/`. */
export function benchJob(name: string): string {
  return fileURLToPath(new URL(`../jobs/${name}`, import.meta.url));
}

/** Logs to stderr; stdout carries only the result line. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Prints the benchmark's single JSON line on stdout. */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** An integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

/**
 * The cluster's security for a benchmark run: mutual TLS and the cluster token by default, as a
 * deployed cluster runs; `BENCH_SECURITY=insecure` measures the same job without them.
 */
export function benchSecurity(): 'tls' | 'insecure' {
  const raw = process.env.BENCH_SECURITY ?? 'tls';
  if (raw !== 'tls' && raw !== 'insecure') throw new Error(`BENCH_SECURITY must be tls or insecure, got ${raw}`);
  return raw;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** What a job run left behind. */
export interface JobRun {
  readonly results: SinkResult[];
  /** Records summed over the sinks. */
  readonly count: number;
  readonly checksum: number;
  /** From the earliest first record to the latest last record over all sinks, in ms. */
  readonly spanMs: number;
  /** From submission to FINISHED as the client saw it, in ms (includes deployment). */
  readonly wallMs: number;
  /** The job's final status (checkpoint counts, restarts). */
  readonly status: JobStatus;
}

/** Options of `runJobOnCluster`. */
export interface RunOptions {
  readonly cluster: LocalClusterOptions;
  readonly job: string;
  readonly parallelism: number;
  /** Job arguments besides `result`, which is set to a fresh temporary directory. */
  readonly args: Record<string, string>;
  readonly timeoutMs: number;
  /** How the job is submitted (e.g. `{ settings: { checkpointIntervalMs: 1000 } }`); defaults otherwise. */
  readonly submit?: SubmitJobOptions;
}

/**
 * Starts a cluster, runs one job to FINISHED, reads the sinks' result files and stops the cluster
 * (also on failure).
 */
export async function runJobOnCluster(options: RunOptions): Promise<JobRun> {
  const resultDir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const logs = process.env.BENCH_LOGS ? 'inherit' : 'ignore';
  const cluster = await MiniCluster.start({ logs, security: benchSecurity(), ...options.cluster });
  try {
    const started = performance.now();
    const jobId = await cluster.submit(options.job, options.parallelism, { ...options.args, result: resultDir }, options.submit);
    log(`submitted ${jobId}`);
    const status = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], options.timeoutMs);
    const wallMs = performance.now() - started;
    if (status.state !== 'FINISHED') throw new Error(`job ${jobId} ended ${status.state}: ${status.failure}`);
    const results = readSinkResults(resultDir);
    const withRecords = results.filter((r) => r.count > 0);
    const first = Math.min(...withRecords.map((r) => r.firstMs));
    const last = Math.max(...withRecords.map((r) => r.lastMs));
    return {
      results,
      count: results.reduce((n, r) => n + r.count, 0),
      checksum: results.reduce((n, r) => n + r.checksum, 0),
      spanMs: withRecords.length > 0 ? last - first : 0,
      wallMs,
      status,
    };
  } finally {
    await cluster.stop();
    rmSync(resultDir, { recursive: true, force: true });
  }
}
