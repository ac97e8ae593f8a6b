/**
 * Runs one job on a local cluster of real processes and injects faults while it runs: SIGKILLs of
 * random TaskManagers (a replacement starts after each) and of the JobManager (restarted on its
 * data directory). Each fault waits until the job has recovered and completed a new checkpoint,
 * so that every fault hits a job that made progress since the last one. `sluice chaos` and the
 * chaos tests share it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTerminalJobState, type JobState } from '../../common/job-state.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import { SplitMixRandom } from '../../connectors/datagen/split-mix-random.ts';
import { prepareJob } from '../cli/prepare-job.ts';
import { ClusterClient } from '../cluster-client.ts';
import { killProcess, LocalCluster } from '../local-cluster.ts';
import { readCommittedOutput } from './committed-output.ts';
import { pollUntil } from './poll-until.ts';

/** What a chaos run does. */
export interface ChaosPlan {
  readonly job: string;
  readonly parallelism: number;
  readonly taskManagers: number;
  /** Slots per TaskManager; default 1. */
  readonly slotsPerTaskManager?: number;
  /** Job arguments; each name of `outputs` is added as a `file:` directory of the run. */
  readonly args: Record<string, string>;
  readonly outputs: readonly string[];
  readonly checkpointIntervalMs: number;
  readonly taskManagerKills: number;
  /** Kill and restart the JobManager once, after half of the TaskManager kills. */
  readonly killJobManager: boolean;
  /** Seed of the choice of victims. */
  readonly seed: number;
  /** Where the processes' logs go (`LocalClusterOptions.logs`: inherited, discarded, or a file each in a directory); default discarded. */
  readonly logs?: 'inherit' | 'ignore' | { readonly dir: string };
  /** Longest wait for the job to end, in ms; default 300 000. */
  readonly timeoutMs?: number;
  /** Told of each fault as it is injected. */
  readonly onFault?: (fault: ChaosFault) => void;
}

/** One injected fault. */
export interface ChaosFault {
  readonly kind: 'taskmanager' | 'jobmanager';
  /** The checkpoint the job had completed when it was hit. */
  readonly afterCheckpoint: number;
}

/** What a chaos run observed. */
export interface ChaosResult {
  readonly final: JobStatus;
  /** The committed rows of each output. */
  readonly outputs: Record<string, Record<string, unknown>[]>;
  readonly taskManagerKills: number;
  readonly jobManagerKills: number;
  /** Faults not injected because the job had already finished. */
  readonly skipped: number;
}

const JOB_MANAGER_FLAGS = ['--heartbeat-interval', '300', '--heartbeat-timeout', '1500', '--slot-timeout', '60000'];

/** See the module comment. The run's output directories are temporary and removed afterwards. */
export async function runChaos(plan: ChaosPlan): Promise<ChaosResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-'));
  const outDirs = Object.fromEntries(plan.outputs.map((name, i) => [name, join(dir, `output-${i}`)]));
  const args = { ...plan.args, ...Object.fromEntries(plan.outputs.map((name) => [name, `file:${outDirs[name]}`])) };
  const prepared = await prepareJob(plan.job, plan.parallelism, args);
  const cluster = new LocalCluster({ taskManagers: plan.taskManagers, slotsPerTaskManager: plan.slotsPerTaskManager ?? 1, logs: plan.logs ?? 'ignore', jobManagerArgs: JOB_MANAGER_FLAGS });
  let client: ClusterClient | undefined;
  const connect = (): ClusterClient => {
    client?.close();
    client = new ClusterClient(cluster.address, cluster.clientSecurity);
    return client;
  };
  const random = new SplitMixRandom(plan.seed);
  let taskManagerKills = 0;
  let jobManagerKills = 0;
  let skipped = 0;
  try {
    await cluster.start();
    const jobId = await connect().submit(prepared.plan.jobGraph, prepared.bundle, {
      settings: { checkpointIntervalMs: plan.checkpointIntervalMs, restartStrategy: 'fixed-delay:attempts=100,delay=100' },
    });
    const status = (): Promise<JobStatus> => (client ?? connect()).status(jobId);
    let lastCheckpoint = await waitForProgress(status, jobId, 0);
    const faults: ChaosFault['kind'][] = Array.from({ length: plan.taskManagerKills }, () => 'taskmanager' as const);
    if (plan.killJobManager) faults.splice(Math.floor(plan.taskManagerKills / 2), 0, 'jobmanager');
    for (const kind of faults) {
      if (lastCheckpoint === undefined) {
        skipped++;
        continue;
      }
      plan.onFault?.({ kind, afterCheckpoint: lastCheckpoint });
      if (kind === 'taskmanager') {
        const live = cluster.taskManagers.filter((tm) => tm.child.exitCode === null && tm.child.signalCode === null);
        await killProcess(live[random.nextInt(live.length)]!.child, 'SIGKILL');
        taskManagerKills++;
        await cluster.addTaskManager();
      } else {
        await killProcess(cluster.jobManager!.child, 'SIGKILL');
        jobManagerKills++;
        await cluster.restartJobManager();
        connect();
      }
      lastCheckpoint = await waitForProgress(status, jobId, lastCheckpoint);
    }
    const final = await pollUntil(async () => {
      const s = await status();
      return isTerminalJobState(s.state as JobState) ? s : undefined;
    }, `job ${jobId} of ${plan.job} to end`, plan.timeoutMs ?? 300_000, 100);
    const outputs = Object.fromEntries(plan.outputs.map((name) => [name, readCommittedOutput(outDirs[name]!)]));
    return { final, outputs, taskManagerKills, jobManagerKills, skipped };
  } finally {
    client?.close();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Waits until the job runs with every task up and a checkpoint newer than `after` completed;
 * returns its id, or undefined once the job has ended (no fault can hit it any more).
 */
async function waitForProgress(status: () => Promise<JobStatus>, jobId: string, after: number): Promise<number | undefined> {
  const progress = await pollUntil(
    async () => {
      const s = await status();
      if (isTerminalJobState(s.state as JobState)) return { id: undefined };
      const latest = s.checkpoints?.latest?.id ?? 0;
      const running = s.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING' || t.state === 'FINISHING');
      return running && latest > after ? { id: latest } : undefined;
    },
    `job ${jobId} to recover and complete a checkpoint after ${after}`,
    120_000,
  );
  return progress.id;
}
