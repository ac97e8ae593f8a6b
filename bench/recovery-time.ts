/**
 * Recovery time after a TaskManager crash, with default settings on loopback: a cluster of
 * 3 TaskManagers × 1 slot (the job uses 2, the third is the spare it restarts on) runs
 * bench/jobs/keyed-count-file at p=2 — an unbounded datagen at a fixed rate → keyBy → running
 * count in ValueState → a transactional `file:` sink — with a checkpoint every 500 ms, so that
 * output is committed (part files renamed to names not starting with '.') twice a second. Once
 * output flows, one TaskManager that runs tasks of the job gets SIGKILL, and the benchmark
 * measures from the kill to:
 *
 * - `detectedMs`: the job master failing the job (the first `lastFailureTime` after the kill);
 * - `runningMs`: the job RUNNING again, every task of the new attempt RUNNING;
 * - `recoveryMs` (the result): the first committed part file written after the restart, i.e.
 *   by a sink writer that did not exist before the kill (part names carry a random writer id;
 *   pending files of the old writers committed on restore do not count).
 *
 * The JobManager runs with its default `--heartbeat-interval` 1000 ms and `--heartbeat-timeout`
 * 5000 ms, and the job with the default restart strategy. `failures` in the output lists every
 * failure of an attempt after the kill (time since the kill and cause), which shows what the
 * recovery spent its time on. When the job has not recovered `BENCH_RECOVERY_TIMEOUT_MS` (default
 * 30 000) after the kill, the line still comes, with nulls, `met: false`, an `error` and the last
 * task states, and the exit code is 1.
 *
 * Target: recoveryMs ≤ 3000.
 *
 * Run with `node bin/run-ts.js bench/recovery-time.ts`; `BENCH_RATE` sets the source rate
 * (records/s, default 5000), `BENCH_CHECKPOINT_MS` the checkpoint interval (default 500).
 */
import { killProcess } from '../client/local-cluster.ts';
import { envInt, log } from './support/harness.ts';
import { cancelAndEmit, msOrNever, RECOVERY_TIMEOUT_MS, roundOrNull, taskStates, watchRecovery, withKeyedCountFileJob } from './support/recovery-probes.ts';

const CHECKPOINT_MS = envInt('BENCH_CHECKPOINT_MS', 500);
const TARGET_MS = 3_000;

await withKeyedCountFileJob({ tmpPrefix: 'sluice-bench-recovery-', taskManagers: 3, checkpointIntervalMs: CHECKPOINT_MS, minCheckpoints: 3 }, async (job) => {
  const { cluster, before } = job;
  const victimId = before.tasks.find((t) => t.taskmanagerId !== '')?.taskmanagerId;
  const victim = cluster.taskManagers.find((tm) => tm.ready.id === victimId);
  if (!victim) throw new Error(`no TaskManager process with id ${victimId}`);
  log(`${before.checkpoints?.completed} checkpoints completed; killing TaskManager ${victimId} (tasks ${before.tasks.filter((t) => t.taskmanagerId === victimId).map((t) => `${t.vertexName}#${t.subtask}`).join(', ')})`);

  const killedAtEpoch = Date.now();
  const killedAt = performance.now();
  const killed = killProcess(victim.child, 'SIGKILL');

  const failures: { atMs: number; cause: string }[] = [];
  const { runningMs, outputMs: recoveryMs, last, ended } = await watchRecovery(job, killedAt, {
    onStatus: (status) => {
      if (status.state === 'FAILED' || status.state === 'CANCELED') return 'ended';
      // Every failure the job master recorded after the kill fails one attempt.
      if (status.lastFailureTime >= killedAtEpoch && status.lastFailureTime - killedAtEpoch !== failures[failures.length - 1]?.atMs) {
        failures.push({ atMs: status.lastFailureTime - killedAtEpoch, cause: status.lastFailure.slice(0, 200) });
      }
      return status.restarts > 0 && status.state === 'RUNNING' && status.tasks.every((t) => t.state === 'RUNNING') ? 'running' : undefined;
    },
  });
  await killed;
  const detectedMs = failures[0]?.atMs;
  for (const f of failures) log(`failure at +${f.atMs} ms: ${f.cause}`);
  log(`running again after ${msOrNever(runningMs)} (restarts ${last?.restarts}), first new committed output after ${msOrNever(recoveryMs)}`);
  const tasks = taskStates(last);
  const recovered = runningMs !== undefined && recoveryMs !== undefined;
  if (!recovered) {
    log(`the job did not recover within ${RECOVERY_TIMEOUT_MS} ms of the kill; last status: ${last?.state} ${tasks.join(', ')}`);
    process.exitCode = 1;
  }

  await cancelAndEmit(job, 'recovery-time', {
    heartbeatIntervalMs: 1000,
    heartbeatTimeoutMs: 5000,
    detectedMs: detectedMs ?? null,
    runningMs: roundOrNull(runningMs),
    recoveryMs: roundOrNull(recoveryMs),
    targetMs: TARGET_MS,
    met: recoveryMs !== undefined && recoveryMs <= TARGET_MS,
    ...(recovered ? {} : { error: ended ?? `not recovered after ${RECOVERY_TIMEOUT_MS} ms`, lastState: last?.state, lastTasks: tasks }),
    restarts: last?.restarts ?? 0,
    failures,
  });
});
