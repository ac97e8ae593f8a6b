/**
 * JobManager failover time: a cluster of 2 TaskManagers × 1 slot runs bench/jobs/keyed-count-file
 * at p=2 (unbounded datagen at a fixed rate → keyBy → running count in ValueState → transactional
 * `file:` sink) with a checkpoint every second. Once a checkpoint has completed, the JobManager
 * gets SIGKILL and a new one is started at once on the same ports and data directory
 * (`LocalCluster.restartJobManager()`): it resumes the job from its HA store and latest
 * checkpoint, and the TaskManagers register with it again. Measured from the kill, through a new
 * client polling the job's status (NOT_FOUND/UNAVAILABLE just mean "not yet"):
 *
 * - `jobManagerReadyMs`: the new JobManager process printed its ready line (process start-up);
 * - `jobVisibleMs`: the new JobManager answered the job's status (resumed, waiting for slots);
 * - `jobDeployedMs`: the job RUNNING at the new JobManager (slots found, tasks being deployed);
 * - `failoverMs` (the result): the job RUNNING with every task RUNNING again;
 * - `firstOutputMs`: the first committed part file from a sink writer of the resumed job.
 *
 * Uses default JobManager and TaskManager settings (heartbeats 1000/5000 ms). When the job is not
 * running again `BENCH_RECOVERY_TIMEOUT_MS` (default 30 000) after the kill, the line still comes,
 * with `failoverMs: null`, `met: false`, an `error` and the last task states, and the exit code
 * is 1.
 *
 * Target: failoverMs ≤ 5000.
 *
 * Run with `node bin/run-ts.js bench/jobmanager-failover.ts`; `BENCH_RATE` sets the source rate
 * (records/s, default 5000), `BENCH_CHECKPOINT_MS` the checkpoint interval (default 1000).
 */
import * as grpc from '@grpc/grpc-js';
import { envInt, log, round } from './support/harness.ts';
import { cancelAndEmit, msOrNever, RECOVERY_TIMEOUT_MS, roundOrNull, taskStates, watchRecovery, withKeyedCountFileJob } from './support/recovery-probes.ts';

const CHECKPOINT_MS = envInt('BENCH_CHECKPOINT_MS', 1_000);
const TARGET_MS = 5_000;

/** Whether a status call failed only because the JobManager is not (yet) up or has not resumed the job. */
function notYet(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  return code === grpc.status.UNAVAILABLE || code === grpc.status.NOT_FOUND || code === grpc.status.DEADLINE_EXCEEDED;
}

await withKeyedCountFileJob({ tmpPrefix: 'sluice-bench-jm-failover-', taskManagers: 2, checkpointIntervalMs: CHECKPOINT_MS, minCheckpoints: 1 }, async (job) => {
  const { cluster } = job;
  log(`${job.before.checkpoints?.completed} checkpoint(s) completed; killing the JobManager`);

  const killedAt = performance.now();
  await cluster.killJobManager();
  await cluster.restartJobManager();
  const jobManagerReadyMs = performance.now() - killedAt;
  log(`new JobManager ready after ${round(jobManagerReadyMs)} ms`);

  let firstSeen: { ms: number; state: string } | undefined;
  let deployedMs: number | undefined;
  const { runningMs: failoverMs, outputMs: firstOutputMs, last, ended } = await watchRecovery(job, killedAt, {
    notYet,
    onStatus: (status) => {
      firstSeen ??= { ms: performance.now() - killedAt, state: status.state };
      if (status.state === 'RUNNING') deployedMs ??= performance.now() - killedAt;
      if (status.state === 'FAILED' || status.state === 'CANCELED' || status.state === 'FINISHED') return 'ended';
      return status.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((t) => t.state === 'RUNNING') ? 'running' : undefined;
    },
  });
  log(`job known to the new JobManager after ${round(firstSeen?.ms ?? Number.NaN)} ms (${firstSeen?.state}), deployed (job RUNNING) after ${round(deployedMs ?? Number.NaN)} ms, all tasks RUNNING after ${msOrNever(failoverMs)}, first new output after ${msOrNever(firstOutputMs)}`);
  const tasks = taskStates(last);
  if (failoverMs === undefined) {
    log(`the job did not run again within ${RECOVERY_TIMEOUT_MS} ms of the kill; last status: ${last?.state} ${tasks.join(', ')}, ${last?.checkpoints?.completed ?? 0} checkpoints since the failover`);
    process.exitCode = 1;
  }

  await cancelAndEmit(job, 'jobmanager-failover', {
    jobManagerReadyMs: round(jobManagerReadyMs),
    jobVisibleMs: firstSeen === undefined ? null : round(firstSeen.ms),
    jobDeployedMs: roundOrNull(deployedMs),
    failoverMs: roundOrNull(failoverMs),
    firstOutputMs: roundOrNull(firstOutputMs),
    targetMs: TARGET_MS,
    met: failoverMs !== undefined && failoverMs <= TARGET_MS,
    ...(failoverMs === undefined ? { error: ended ?? `not running again after ${RECOVERY_TIMEOUT_MS} ms`, lastState: last?.state, lastTasks: tasks } : {}),
    checkpointsAfterFailover: last?.checkpoints?.completed ?? 0,
    restarts: last?.restarts ?? 0,
  });
});
