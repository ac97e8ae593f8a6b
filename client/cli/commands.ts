/** The client verbs of the `sluice` CLI: run, info, list, status, cancel and local. */
import { isTerminalJobState, type JobState } from '../../common/job-state.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import { ClusterClient } from '../cluster-client.ts';
import { LocalCluster } from '../local-cluster.ts';
import { CliError } from './cli-error.ts';
import { listLine, planJson, planText, progressLine, statusJson } from './format.ts';
import { parseJobArgs, prepareJob } from './prepare-job.ts';
import { write } from './stdout.ts';

/** Flags of `sluice run`. */
export interface RunFlags {
  job: string;
  parallelism: number;
  detached: boolean;
  /** A running cluster (`-m`); undefined: an embedded local cluster. */
  target?: ClusterTarget;
  taskmanagers: number;
  json: boolean;
  jobArgs: string[];
  /** Checkpoint interval in ms; 0: no checkpoints. */
  checkpointInterval: number;
  /** The other checkpoint settings; undefined: the JobManager's defaults. */
  checkpointTimeout?: number;
  minPause?: number;
  tolerableFailures?: number;
  retainedCheckpoints?: number;
  fullEvery?: number;
  /** Restart strategy spec, e.g. `fixed-delay:attempts=3,delay=500`. */
  restartStrategy?: string;
  /** A savepoint or checkpoint to start from. */
  fromSavepoint?: string;
}

/** The JobManager a client verb talks to, and the credentials it presents. */
export interface ClusterTarget {
  readonly address: string;
  readonly security: SecurityConfig;
}

/** Writes one line to stdout. */
function out(line: string): void {
  write(`${line}\n`);
}

/** Submits a job and, unless detached, waits for its end. Returns the exit code. */
export async function runCommand(flags: RunFlags): Promise<number> {
  const prepared = await prepareJob(flags.job, flags.parallelism, parseJobArgs(flags.jobArgs));
  let cluster: LocalCluster | undefined;
  let target = flags.target;
  if (!target) {
    const slots = Math.max(...prepared.plan.jobGraph.vertices.map((v) => v.parallelism));
    cluster = await new LocalCluster({ taskManagers: flags.taskmanagers, slotsPerTaskManager: Math.ceil(slots / flags.taskmanagers) }).start();
    target = { address: cluster.address, security: cluster.clientSecurity };
    if (flags.detached) throw new CliError('-d needs a running cluster: pass -m HOST:PORT');
  }
  const client = new ClusterClient(target.address, target.security);
  try {
    const jobId = await client.submit(prepared.plan.jobGraph, prepared.bundle, {
      settings: {
        checkpointIntervalMs: flags.checkpointInterval,
        checkpointTimeoutMs: flags.checkpointTimeout ?? 0,
        minPauseMs: flags.minPause ?? 0,
        tolerableFailures: flags.tolerableFailures,
        retained: flags.retainedCheckpoints ?? 0,
        fullEvery: flags.fullEvery ?? 0,
        restartStrategy: flags.restartStrategy ?? '',
      },
      restorePath: flags.fromSavepoint,
    });
    out(`Job has been submitted with JobID ${jobId}`);
    if (flags.detached) return 0;
    const final = await waitForEnd(client, jobId, process.stdout.isTTY === true);
    if (flags.json) out(JSON.stringify(statusJson(final)));
    else out(`Job ${jobId} ${final.state}${final.failure ? `: ${final.failure}` : ''} (records in ${final.recordsIn}, out ${final.recordsOut})`);
    return final.state === 'FINISHED' ? 0 : 1;
  } finally {
    client.close();
    await cluster?.stop();
  }
}

/** Polls a job until it reaches a terminal state, drawing a live progress line on a terminal. */
export async function waitForEnd(client: ClusterClient, jobId: string, live: boolean): Promise<JobStatus> {
  const started = Date.now();
  for (;;) {
    const status = await client.status(jobId);
    if (live) write(`\r\x1b[2K${progressLine(status, Date.now() - started)}`);
    if (isTerminalJobState(status.state as JobState)) {
      if (live) write('\n');
      return status;
    }
    await new Promise((r) => setTimeout(r, live ? 250 : 100));
  }
}

/** Prints the plan of a job without running it. */
export async function infoCommand(job: string, parallelism: number, jobArgs: string[], json: boolean): Promise<number> {
  const prepared = await prepareJob(job, parallelism, parseJobArgs(jobArgs));
  out(json ? JSON.stringify(planJson(prepared.plan)) : planText(prepared.plan));
  return 0;
}

/** Runs `fn` with a client of the target JobManager, closing it afterwards. */
async function withClient(target: ClusterTarget, fn: (client: ClusterClient) => Promise<void>): Promise<number> {
  const client = new ClusterClient(target.address, target.security);
  try {
    await fn(client);
    return 0;
  } finally {
    client.close();
  }
}

/** Lists jobs. */
export function listCommand(target: ClusterTarget, json: boolean): Promise<number> {
  return withClient(target, async (client) => {
    const jobs = await client.list();
    if (json) out(JSON.stringify({ jobs: jobs.map(statusJson) }));
    else if (jobs.length === 0) out('No jobs.');
    else for (const j of jobs) out(listLine(j));
  });
}

/** Prints one job's status. */
export function statusCommand(target: ClusterTarget, jobId: string, json: boolean): Promise<number> {
  return withClient(target, async (client) => {
    const s = await client.status(jobId);
    if (json) return out(JSON.stringify(statusJson(s)));
    out(`${s.jobId} : ${s.name} : ${s.state}`);
    if (s.failure) out(`Failure: ${s.failure}`);
    out(`Records in ${s.recordsIn}, out ${s.recordsOut}`);
    for (const t of s.tasks) out(`  ${t.vertexName} (${t.subtask + 1}) attempt ${t.attempt}: ${t.state}${t.failure ? ` - ${t.failure}` : ''}`);
  });
}

/** Cancels a job. */
export function cancelCommand(target: ClusterTarget, jobId: string, json: boolean): Promise<number> {
  return withClient(target, async (client) => {
    await client.cancel(jobId);
    out(json ? JSON.stringify({ jid: jobId, cancelled: true }) : `Cancelled job ${jobId}.`);
  });
}

/** Takes a savepoint of a running job. */
export function savepointCommand(target: ClusterTarget, jobId: string, directory: string | undefined, json: boolean): Promise<number> {
  return withClient(target, async (client) => {
    const path = await client.savepoint(jobId, directory ?? '');
    out(json ? JSON.stringify({ jid: jobId, savepoint: path }) : `Savepoint completed. Path: ${path}`);
  });
}

/** Stops a job with a savepoint: its output is committed up to the savepoint, and it ends FINISHED. */
export function stopCommand(target: ClusterTarget, jobId: string, directory: string | undefined, json: boolean): Promise<number> {
  return withClient(target, async (client) => {
    const path = await client.savepoint(jobId, directory ?? '', true);
    out(json ? JSON.stringify({ jid: jobId, savepoint: path, stopped: true }) : `Suspending job ${jobId} with a savepoint. Savepoint completed. Path: ${path}`);
  });
}

/** Rescales a running job through a savepoint. */
export function rescaleCommand(target: ClusterTarget, jobId: string, parallelism: number, json: boolean): Promise<number> {
  return withClient(target, async (client) => {
    const path = await client.rescale(jobId, parallelism);
    out(json ? JSON.stringify({ jid: jobId, parallelism, savepoint: path }) : `Rescaling job ${jobId} to parallelism ${parallelism} from savepoint ${path}.`);
  });
}

/** Runs a JobManager and N TaskManagers in the foreground until interrupted. */
export async function localCommand(taskManagers: number, slots: number): Promise<number> {
  const cluster = await new LocalCluster({ taskManagers, slotsPerTaskManager: slots, logs: 'inherit' }).start();
  out(JSON.stringify({ event: 'ready', jobmanager: cluster.address, rest: cluster.restUrl, taskmanagers: taskManagers, ...cluster.clientCredentialFiles }));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await cluster.stop();
  return 0;
}
