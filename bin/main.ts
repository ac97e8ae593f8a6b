/**
 * The composition root of the `sluice` command: the client verbs from client/cli, plus the
 * commands that start a JobManager or a TaskManager process.
 */
import type { Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runCli } from '../client/cli/cli.ts';
import { securityFlags, securityOptionsOf } from '../client/cli/security-flags.ts';
import { ownIdentity, resolveSecurity } from '../common/security/security-config.ts';
import { JobManager } from '../jobmanager/jobmanager.ts';
import { TaskManager } from '../taskmanager/taskmanager.ts';

/** Keeps a server process alive until SIGINT or SIGTERM, then stops it. */
function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (): void => {
      void stop().then(() => resolve(0));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

/**
 * Runs a process command; a failure to start (bad credentials, a port in use, a refused
 * registration) prints one line naming the cause and exits 1, without a stack trace.
 */
function serve<A>(run: (args: A) => Promise<void>): (args: A) => Promise<void> {
  return async (args) => {
    try {
      await run(args);
    } catch (error) {
      process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  };
}

function processCommands(cli: Argv): Argv {
  return cli
    .command(
      'jobmanager',
      'run a JobManager',
      (a) =>
        securityFlags(a)
          .option('port', { type: 'number', default: 6123 })
          .option('rest-port', { type: 'number', default: 8081 })
          .option('host', { type: 'string', default: '127.0.0.1' })
          .option('data-dir', { type: 'string', default: '.data/jobmanager' })
          .option('heartbeat-interval', { type: 'number', default: 1000, describe: 'ms' })
          .option('heartbeat-timeout', { type: 'number', default: 5000, describe: 'ms' })
          .option('slot-timeout', { type: 'number', default: 30000, describe: 'ms a job waits for free slots' })
          .option('max-bundle-bytes', { type: 'number', default: 64 * 1024 * 1024, describe: 'largest accepted job bundle' })
          .option('max-request-bytes', { type: 'number', describe: 'largest gRPC request read (default 256 MiB; above --max-bundle-bytes)' })
          .option('max-slots-per-taskmanager', { type: 'number', describe: 'most slots a TaskManager may register with (default 256)' })
          .option('max-vertices-per-job', { type: 'number', describe: 'most vertices a submitted job graph may have (default 1000)' })
          .option('max-parallelism', { type: 'number', describe: 'highest max parallelism and parallelism of a vertex (default 32768)' })
          .option('max-running-jobs', { type: 'number', describe: 'most jobs running at once (default 100)' })
          .option('max-retained-jobs', { type: 'number', describe: 'ended jobs remembered for status, oldest forgotten first (default 100)' })
          .option('checkpoint-dir', { type: 'string', describe: 'checkpoint storage, local or shared (default <data-dir>/checkpoints)' })
          .option('savepoint-dir', { type: 'string', describe: 'default savepoint directory (default <checkpoint-dir>/savepoints)' })
          .option('savepoint-root', { type: 'string', array: true, describe: 'a directory savepoints and restores may name (repeatable; default the savepoint and checkpoint directories)' }),
      serve(async (a) => {
        const security = resolveSecurity(securityOptionsOf(a), { identity: true, token: 'optional' });
        ownIdentity(security, 'jobmanager');
        const jm = new JobManager({
          security,
          host: a.host,
          port: a.port,
          restPort: a['rest-port'],
          dataDir: a['data-dir'],
          heartbeatIntervalMs: a['heartbeat-interval'],
          heartbeatTimeoutMs: a['heartbeat-timeout'],
          slotRequestTimeoutMs: a['slot-timeout'],
          maxBundleBytes: a['max-bundle-bytes'],
          maxRequestBytes: a['max-request-bytes'],
          maxSlotsPerTaskManager: a['max-slots-per-taskmanager'],
          maxVerticesPerJob: a['max-vertices-per-job'],
          maxParallelism: a['max-parallelism'],
          maxRunningJobs: a['max-running-jobs'],
          maxRetainedJobs: a['max-retained-jobs'],
          checkpointDir: a['checkpoint-dir'],
          savepointDir: a['savepoint-dir'],
          savepointRoots: a['savepoint-root'],
        });
        await jm.start();
        process.stdout.write(`${JSON.stringify({ event: 'ready', id: jm.id, port: jm.port, restPort: jm.restPort })}\n`);
        process.exitCode = await untilSignal(() => jm.stop());
      }),
    )
    .command(
      'taskmanager',
      'run a TaskManager',
      (a) =>
        securityFlags(a)
          .option('jobmanager', { type: 'string', default: '127.0.0.1:6123' })
          .option('slots', { type: 'number', default: 1 })
          .option('host', { type: 'string', default: '127.0.0.1' })
          .option('port', { type: 'number', default: 0 })
          .option('metrics-port', { type: 'number' })
          .option('data-dir', { type: 'string', default: '.data/taskmanager' })
          .option('state-cache-entries', { type: 'number', describe: 'entries each keyed operator subtask caches in front of LevelDB (default 100000)' })
          .option('state-cache-bytes', { type: 'number', describe: 'bytes each keyed operator subtask caches in front of LevelDB (default 64 MiB)' })
          .option('max-pending-subscriptions', { type: 'number', describe: 'data-plane subscriptions from other TaskManagers that may wait at once for a partition not yet produced here (default 4096)' }),
      serve(async (a) => {
        const tm = new TaskManager({
          security: resolveSecurity(securityOptionsOf(a), { identity: true, token: 'optional' }),
          jobManagerAddress: a.jobmanager,
          slots: a.slots,
          host: a.host,
          port: a.port,
          metricsPort: a['metrics-port'],
          dataDir: a['data-dir'],
          stateCacheEntries: a['state-cache-entries'],
          stateCacheBytes: a['state-cache-bytes'],
          maxPendingSubscriptions: a['max-pending-subscriptions'],
        });
        await tm.start();
        const metricsPort = Number(tm.metricsAddress.split(':').pop() ?? 0) || undefined;
        process.stdout.write(`${JSON.stringify({ event: 'ready', id: tm.id, port: Number(tm.rpcAddress.split(':').pop()), metricsPort })}\n`);
        process.exitCode = await Promise.race([untilSignal(() => tm.stop()), tm.terminated.then(() => 1)]);
      }),
    );
}

// A process command sets its own exit code; the CLI's only matters when it reports a failure.
const cliExitCode = await runCli(hideBin(process.argv), processCommands);
if (cliExitCode !== 0) process.exitCode = cliExitCode;
