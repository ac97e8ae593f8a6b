/** The `sluice` command line: flags and output follow Flink's CLI. */
import yargs, { type Argv } from 'yargs';
import { chaosCommand } from './chaos-command.ts';
import { CliError, describeCliError } from './cli-error.ts';
import { clientSecurity, securityFlags } from './security-flags.ts';
import { endOutputQuietlyOnEpipe } from './stdout.ts';
import { cancelCommand, infoCommand, listCommand, localCommand, rescaleCommand, runCommand, savepointCommand, statusCommand, stopCommand, type ClusterTarget } from './commands.ts';

/** Adds commands that start processes; provided by the composition root (bin/main.ts). */
export type ProcessCommands = (cli: Argv) => Argv;

const DEFAULT_JOBMANAGER = '127.0.0.1:6123';

/** Runs the CLI on `argv` and returns the exit code. */
export async function runCli(argv: string[], processCommands: ProcessCommands): Promise<number> {
  endOutputQuietlyOnEpipe();
  let exitCode = 0;
  let address: string | undefined;
  const guard = (fn: () => Promise<number>) => async (): Promise<void> => {
    try {
      exitCode = await fn();
    } catch (error) {
      process.stderr.write(`Error: ${error instanceof CliError ? error.message : describeCliError(error, address)}\n`);
      exitCode = error instanceof CliError ? error.exitCode : 1;
    }
  };
  const jm = <T>(a: Argv<T>) => securityFlags(a).option('jobmanager', { alias: 'm', type: 'string', describe: 'JobManager address HOST:PORT', default: DEFAULT_JOBMANAGER });
  const target = (a: Parameters<typeof clientSecurity>[0] & { jobmanager: string }): ClusterTarget => ({ address: a.jobmanager, security: clientSecurity(a) });
  const json = <T>(a: Argv<T>) => a.option('json', { type: 'boolean', default: false, describe: 'print JSON' });

  let cli = yargs(argv)
    .scriptName('sluice')
    .parserConfiguration({ 'populate--': true })
    .strict()
    .command(
      'run <job>',
      'submit a job (without -m: on an embedded local cluster)',
      (a) =>
        securityFlags(json(a))
          .positional('job', { type: 'string', demandOption: true })
          .option('parallelism', { alias: 'p', type: 'number', default: 1 })
          .option('detached', { alias: 'd', type: 'boolean', default: false })
          .option('jobmanager', { alias: 'm', type: 'string' })
          .option('taskmanagers', { type: 'number', default: 2, describe: 'TaskManagers of the embedded cluster' })
          .option('checkpoint-interval', { type: 'number', default: 0, describe: 'ms between checkpoints; 0: no checkpoints' })
          .option('checkpoint-timeout', { type: 'number', describe: 'ms before a checkpoint is aborted (default 60000)' })
          .option('min-pause', { type: 'number', describe: 'ms between the end of a checkpoint and the next trigger (default 0)' })
          .option('tolerable-failures', { type: 'number', describe: 'failed checkpoints in a row before the job fails (default 3)' })
          .option('retained-checkpoints', { type: 'number', describe: 'completed checkpoints kept (default 3)' })
          .option('full-every', { type: 'number', describe: 'every Nth checkpoint is full, the others incremental (default 10)' })
          .option('restart-strategy', { type: 'string', describe: 'none | fixed-delay:attempts=N,delay=MS | exponential-delay:initial=MS,max=MS | failure-rate:max=N,interval=MS,delay=MS' })
          .option('from-savepoint', { alias: 's', type: 'string', describe: 'start from this savepoint or checkpoint' }),
      (a) => {
        address = a.jobmanager;
        return guard(() =>
          runCommand({
            job: a.job!,
            parallelism: a.parallelism,
            detached: a.detached,
            target: a.jobmanager === undefined ? undefined : target({ ...a, jobmanager: a.jobmanager }),
            taskmanagers: a.taskmanagers,
            json: a.json,
            jobArgs: ((a['--'] as string[] | undefined) ?? []).map(String),
            checkpointInterval: a.checkpointInterval,
            checkpointTimeout: a.checkpointTimeout,
            minPause: a.minPause,
            tolerableFailures: a.tolerableFailures,
            retainedCheckpoints: a.retainedCheckpoints,
            fullEvery: a.fullEvery,
            restartStrategy: a.restartStrategy,
            fromSavepoint: a.fromSavepoint,
          }),
        )();
      },
    )
    .command(
      'info <job>',
      'print the plan of a job',
      (a) => json(a).positional('job', { type: 'string', demandOption: true }).option('parallelism', { alias: 'p', type: 'number', default: 1 }),
      (a) => guard(() => infoCommand(a.job!, a.parallelism, ((a['--'] as string[] | undefined) ?? []).map(String), a.json))(),
    )
    .command('list', 'list jobs', (a) => json(jm(a)), (a) => {
      address = a.jobmanager;
      return guard(() => listCommand(target(a), a.json))();
    })
    .command('status <jobId>', 'print the status of a job', (a) => json(jm(a)).positional('jobId', { type: 'string', demandOption: true }), (a) => {
      address = a.jobmanager;
      return guard(() => statusCommand(target(a), a.jobId!, a.json))();
    })
    .command('cancel <jobId>', 'cancel a job', (a) => json(jm(a)).positional('jobId', { type: 'string', demandOption: true }), (a) => {
      address = a.jobmanager;
      return guard(() => cancelCommand(target(a), a.jobId!, a.json))();
    })
    .command(
      'savepoint <jobId> [directory]',
      'take a savepoint of a running job',
      (a) => json(jm(a)).positional('jobId', { type: 'string', demandOption: true }).positional('directory', { type: 'string' }),
      (a) => {
        address = a.jobmanager;
        return guard(() => savepointCommand(target(a), a.jobId!, a.directory, a.json))();
      },
    )
    .command(
      'stop <jobId>',
      'stop a job with a savepoint',
      (a) => json(jm(a)).positional('jobId', { type: 'string', demandOption: true }).option('savepoint-path', { alias: 'p', type: 'string', describe: 'savepoint directory' }),
      (a) => {
        address = a.jobmanager;
        return guard(() => stopCommand(target(a), a.jobId!, a.savepointPath, a.json))();
      },
    )
    .command(
      'rescale <jobId>',
      'take a savepoint and restart the job at a new parallelism',
      (a) => json(jm(a)).positional('jobId', { type: 'string', demandOption: true }).option('parallelism', { alias: 'p', type: 'number', demandOption: true }),
      (a) => {
        address = a.jobmanager;
        return guard(() => rescaleCommand(target(a), a.jobId!, a.parallelism, a.json))();
      },
    )
    .command(
      'chaos <job>',
      'run a bounded job without faults, then while SIGKILLing TaskManagers (and the JobManager); compare every file: output (the ones no source reads) and exit 1 on any lost or duplicated row',
      (a) =>
        json(a)
          .positional('job', { type: 'string', demandOption: true })
          .option('parallelism', { alias: 'p', type: 'number', default: 1 })
          .option('kills', { type: 'number', default: 3, describe: 'TaskManager SIGKILLs, each after a new completed checkpoint' })
          .option('checkpoint-interval', { type: 'number', default: 500, describe: 'ms between checkpoints' })
          .option('kill-jobmanager', { type: 'boolean', default: false, describe: 'also SIGKILL and restart the JobManager once, halfway through' })
          .option('taskmanagers', { type: 'number', describe: 'TaskManagers of the local cluster (default: max(2, parallelism)); a new one replaces each one killed' })
          .option('seed', { type: 'number', default: 1, describe: 'seed of the choice of TaskManagers to kill' })
          .epilog('Each file: output gets a fresh temporary directory per run. Slow a file input with ?rate=N so that the job runs long enough for every kill.'),
      (a) =>
        guard(() =>
          chaosCommand({
            job: a.job!,
            parallelism: a.parallelism,
            kills: a.kills,
            checkpointInterval: a.checkpointInterval,
            killJobManager: a.killJobmanager,
            taskmanagers: a.taskmanagers,
            seed: a.seed,
            json: a.json,
            jobArgs: ((a['--'] as string[] | undefined) ?? []).map(String),
          }),
        )(),
    )
    .command(
      'local',
      'run a JobManager and TaskManagers in the foreground',
      (a) => a.option('taskmanagers', { type: 'number', default: 2 }).option('slots', { type: 'number', default: 2 }),
      (a) => guard(() => localCommand(a.taskmanagers, a.slots))(),
    );
  cli = processCommands(cli);
  await cli.demandCommand(1).help().fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`Error: ${msg}\n`);
    exitCode = 2;
  }).parseAsync();
  return exitCode;
}
