/**
 * Runs one job on a MiniCluster of real processes and injects faults while it runs: SIGKILLs of
 * random TaskManagers (a replacement starts after each) and of the JobManager (restarted on its
 * data directory). Each fault waits until the job has recovered and completed a new checkpoint,
 * so that every fault hits a job that made progress since the last one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SplitMixRandom } from '../../connectors/datagen/split-mix-random.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';

/** What a chaos run does. */
export interface ChaosPlan {
  readonly job: string;
  readonly parallelism: number;
  readonly taskManagers: number;
  /** Job arguments; `out` (and others) are added as `file:` directories of the run. */
  readonly args: Record<string, string>;
  readonly outputs: readonly string[];
  readonly checkpointIntervalMs: number;
  readonly taskManagerKills: number;
  /** Kill and restart the JobManager once, after half of the TaskManager kills. */
  readonly killJobManager: boolean;
  readonly seed: number;
  /** A directory for the processes' logs, one file each (`LocalClusterOptions.logs`); discarded when unset. */
  readonly logDir?: string;
}

/** What a chaos run observed. */
export interface ChaosResult {
  readonly final: JobStatus;
  readonly outputs: Record<string, Record<string, unknown>[]>;
  readonly taskManagerKills: number;
  readonly jobManagerKills: number;
  /** Faults not injected because the job had already finished. */
  readonly skipped: number;
}

/** See the module comment. */
export async function runChaos(plan: ChaosPlan): Promise<ChaosResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-chaos-'));
  const cluster = await MiniCluster.start({
    taskManagers: plan.taskManagers,
    slotsPerTaskManager: 1,
    jobManagerArgs: ['--heartbeat-interval', '300', '--heartbeat-timeout', '1500', '--slot-timeout', '60000'],
    ...(plan.logDir === undefined ? {} : { logs: { dir: plan.logDir } }),
  });
  const random = new SplitMixRandom(plan.seed);
  let taskManagerKills = 0;
  let jobManagerKills = 0;
  let skipped = 0;
  try {
    const outDirs = Object.fromEntries(plan.outputs.map((name) => [name, join(dir, name)]));
    const args = { ...plan.args, ...Object.fromEntries(plan.outputs.map((name) => [name, `file:${outDirs[name]}`])) };
    const jobId = await cluster.submit(plan.job, plan.parallelism, args, {
      settings: { checkpointIntervalMs: plan.checkpointIntervalMs, restartStrategy: 'fixed-delay:attempts=100,delay=100' },
    });
    let lastCheckpoint = await waitForProgress(cluster, jobId, 0);
    const faults: ('tm' | 'jm')[] = Array.from({ length: plan.taskManagerKills }, () => 'tm' as const);
    if (plan.killJobManager) faults.splice(Math.floor(plan.taskManagerKills / 2), 0, 'jm');
    for (const fault of faults) {
      if (lastCheckpoint === undefined) {
        skipped++;
        continue;
      }
      if (fault === 'tm') {
        const live = cluster.taskManagers.map((tm, i) => ({ tm, i })).filter(({ tm }) => tm.child.exitCode === null && tm.child.signalCode === null);
        const victim = live[random.nextInt(live.length)]!;
        await cluster.killTaskManager(victim.i);
        taskManagerKills++;
        await cluster.local.addTaskManager();
      } else {
        await cluster.killJobManager();
        jobManagerKills++;
        await cluster.restartJobManager();
      }
      lastCheckpoint = await waitForProgress(cluster, jobId, lastCheckpoint);
    }
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 300_000);
    const outputs = Object.fromEntries(plan.outputs.map((name) => [name, readCommittedOutput(outDirs[name]!)]));
    return { final, outputs, taskManagerKills, jobManagerKills, skipped };
  } finally {
    await cluster.stop();
  }
}

/**
 * Waits until the job runs with every task up and a checkpoint newer than `after` completed;
 * returns its id, or undefined once the job has ended (no fault can hit it any more).
 */
async function waitForProgress(cluster: MiniCluster, jobId: string, after: number): Promise<number | undefined> {
  return waitFor(
    async () => {
      const s = await cluster.client.status(jobId);
      if (['FINISHED', 'FAILED', 'CANCELED'].includes(s.state)) return { id: undefined };
      const latest = s.checkpoints?.latest?.id ?? 0;
      const running = s.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING' || t.state === 'FINISHING');
      return running && latest > after ? { id: latest } : undefined;
    },
    `job ${jobId} to recover and complete a checkpoint after ${after}`,
    120_000,
  ).then((r) => r.id);
}
