/**
 * What the recovery benchmarks (bench/recovery-time.ts, bench/jobmanager-failover.ts) share: their
 * common settings, a cluster running bench/jobs/keyed-count-file into a transactional `file:` sink
 * until output is committed, the writer ids of its part files, the loop that watches the job and
 * its output directory after something was killed until the job runs again with committed output
 * from new sink writers, and the start of their JSON line.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobStatus } from '../../common/rpc/index.ts';
import { parseHiddenPartName } from '../../connectors/sinks/part-file-names.ts';
import { MiniCluster } from '../../test/support/mini-cluster.ts';
import { benchJob, emit, envInt, log, round } from './harness.ts';

/** Source rate of the job, records/s over the whole source: `BENCH_RATE`, default 5000. */
export const RATE = envInt('BENCH_RATE', 5_000);
/** Distinct keys of the job. */
export const KEYS = 1_000;
/** Parallelism of the job. */
export const PARALLELISM = 2;
/** How long the job may take to complete its first checkpoints and commit output, in ms. */
const SETUP_TIMEOUT_MS = 60_000;
/** How long after the kill the job may take to run again before the benchmark gives up: `BENCH_RECOVERY_TIMEOUT_MS`, default 30 000. */
export const RECOVERY_TIMEOUT_MS = envInt('BENCH_RECOVERY_TIMEOUT_MS', 30_000);

/** The name of a committed part file of the `file:` sink; group 1 is the writer id. */
export const COMMITTED_PART = /^part-.+-\d+-([0-9a-f]{8})-\d+\.jsonl$/;

/** The writer ids of the part files in `dir`: every file, or only committed ones. */
export function writerIds(dir: string, committedOnly: boolean): Set<string> {
  const ids = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return ids;
  }
  for (const name of names) {
    const committed = COMMITTED_PART.exec(name)?.[1];
    if (committed !== undefined) ids.add(committed);
    else if (!committedOnly) {
      const hidden = parseHiddenPartName(name);
      if (hidden) ids.add(hidden.writerId);
    }
  }
  return ids;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value; throws after `timeoutMs`. */
export async function poll<T>(what: string, everyMs: number, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** How a recovery benchmark runs bench/jobs/keyed-count-file (see `withKeyedCountFileJob`). */
export interface KeyedCountFileOptions {
  /** Prefix of the temporary directory that holds the job's output (`<dir>/out`). */
  readonly tmpPrefix: string;
  /** TaskManagers of the cluster, one slot each. */
  readonly taskManagers: number;
  readonly checkpointIntervalMs: number;
  /** How many checkpoints must have completed (besides committed output) before the benchmark goes on. */
  readonly minCheckpoints: number;
}

/** The running job a recovery benchmark works on. */
export interface KeyedCountFileJob {
  readonly options: KeyedCountFileOptions;
  readonly cluster: MiniCluster;
  readonly jobId: string;
  /** The sink's output directory. */
  readonly out: string;
  /** The status that showed the completed checkpoints. */
  readonly before: JobStatus;
  /** The writer ids in `out` at that point (`writerIds(out, false)`): their files are not new output. */
  readonly oldWriters: ReadonlySet<string>;
}

/**
 * Starts a cluster (logs inherited when `BENCH_LOGS` is set), submits bench/jobs/keyed-count-file
 * (`RATE`, `KEYS`, `PARALLELISM`) with a `file:` sink into a fresh temporary directory, waits until
 * every task runs, then until `minCheckpoints` checkpoints have completed and committed output
 * exists (60 s at the most), notes the writers so far and runs `body` on the job. Stops the cluster
 * and removes the directory afterwards, also on failure.
 */
export async function withKeyedCountFileJob(options: KeyedCountFileOptions, body: (job: KeyedCountFileJob) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), options.tmpPrefix));
  const out = join(dir, 'out');
  const cluster = await MiniCluster.start({ taskManagers: options.taskManagers, slotsPerTaskManager: 1, logs: process.env.BENCH_LOGS ? 'inherit' : 'ignore' });
  try {
    const jobId = await cluster.submit(benchJob('keyed-count-file'), PARALLELISM, { rate: String(RATE), keys: String(KEYS), out: `file:${out}` }, { settings: { checkpointIntervalMs: options.checkpointIntervalMs } });
    log(`submitted ${jobId}`);
    await cluster.waitForAllTasksRunning(jobId);
    const what = `${options.minCheckpoints === 1 ? 'a completed checkpoint' : `${options.minCheckpoints} checkpoints`} and committed output`;
    const before = await poll(what, 50, SETUP_TIMEOUT_MS, async () => {
      const s = await cluster.client.status(jobId);
      return (s.checkpoints?.completed ?? 0) >= options.minCheckpoints && writerIds(out, true).size > 0 ? s : undefined;
    });
    await body({ options, cluster, jobId, out, before, oldWriters: writerIds(out, false) });
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How `watchRecovery` judges the job's status. */
export interface RecoveryProbe {
  /**
   * Judges each status the job master answers: `'running'` when the job counts as running again
   * (no more status calls after that), `'ended'` when it will not recover (watching stops), else
   * `undefined`. It may also record what it sees.
   */
  readonly onStatus: (status: JobStatus) => 'running' | 'ended' | undefined;
  /** Whether a failed status call only means "not yet" (the call is tried again); other errors are thrown. By default none. */
  readonly notYet?: (error: unknown) => boolean;
}

/** What `watchRecovery` saw, times in ms since the kill. */
export interface RecoveryWatch {
  /** When `onStatus` first said `'running'`; undefined if never. */
  readonly runningMs: number | undefined;
  /** When committed output of a writer not in `job.oldWriters` first appeared; undefined if never. */
  readonly outputMs: number | undefined;
  /** The last status answered. */
  readonly last: JobStatus | undefined;
  /** Why watching stopped early when `onStatus` said `'ended'`. */
  readonly ended: string | undefined;
}

/**
 * Watches the job's status (judged by `probe`) and its output directory every 10 ms after a kill at
 * `killedAt` (`performance.now()`), until the job runs again and has committed output from new
 * writers, until it has ended, or until `RECOVERY_TIMEOUT_MS` after the kill.
 */
export async function watchRecovery(job: KeyedCountFileJob, killedAt: number, probe: RecoveryProbe): Promise<RecoveryWatch> {
  const { cluster, jobId, out, oldWriters } = job;
  let runningMs: number | undefined;
  let outputMs: number | undefined;
  let last: JobStatus | undefined;
  let ended: string | undefined;
  const deadline = killedAt + RECOVERY_TIMEOUT_MS;
  while ((runningMs === undefined || outputMs === undefined) && performance.now() < deadline) {
    if (outputMs === undefined) {
      for (const id of writerIds(out, true)) if (!oldWriters.has(id)) outputMs = performance.now() - killedAt;
    }
    if (runningMs === undefined) {
      try {
        // `cluster.client` anew each time: it is another client after a JobManager restart.
        last = await cluster.client.status(jobId);
        const verdict = probe.onStatus(last);
        if (verdict === 'ended') {
          ended = `job ended ${last.state}: ${last.failure}`;
          break;
        }
        if (verdict === 'running') runningMs = performance.now() - killedAt;
      } catch (error) {
        if (!probe.notYet?.(error)) throw error;
      }
    }
    await sleep(10);
  }
  return { runningMs, outputMs, last, ended };
}

/** `vertex#subtask:STATE` for every task of `status`, for the error output. */
export function taskStates(status: JobStatus | undefined): string[] {
  return status ? status.tasks.map((t) => `${t.vertexName}#${t.subtask}:${t.state}`) : [];
}

/** A measured time rounded to whole ms, or null when it was never measured (for the JSON line). */
export function roundOrNull(ms: number | undefined): number | null {
  return ms === undefined ? null : round(ms);
}

/** A measured time as `N ms`, or `never` (for log lines). */
export function msOrNever(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${round(ms)} ms`;
}

/**
 * Cancels the job (errors ignored) and prints the benchmark's JSON line: `bench` and the run's
 * settings (parallelism, TaskManagers, checkpoint interval, source rate), then `fields`.
 */
export async function cancelAndEmit(job: KeyedCountFileJob, bench: string, fields: Record<string, unknown>): Promise<void> {
  await job.cluster.client.cancel(job.jobId).catch(() => undefined);
  emit({
    bench,
    parallelism: PARALLELISM,
    taskManagers: job.options.taskManagers,
    checkpointIntervalMs: job.options.checkpointIntervalMs,
    recordsPerSec: RATE,
    ...fields,
  });
}
