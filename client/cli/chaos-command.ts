/**
 * `sluice chaos`: runs a bounded job twice on a local cluster, once without faults and once while
 * TaskManagers (and optionally the JobManager) are SIGKILLed, and compares what each `file:`
 * output committed. Any lost, duplicated or unexpected row is a failure of exactly-once.
 */
import { runChaos, type ChaosPlan, type ChaosResult } from '../chaos/chaos-run.ts';
import { fileOutputNames } from '../chaos/file-outputs.ts';
import { compareOutput, referenceOf, type OutputDiff } from '../chaos/output-diff.ts';
import { CliError } from './cli-error.ts';
import { parseJobArgs, prepareJob } from './prepare-job.ts';
import { write } from './stdout.ts';

/** Flags of `sluice chaos`. */
export interface ChaosFlags {
  readonly job: string;
  readonly parallelism: number;
  readonly kills: number;
  readonly checkpointInterval: number;
  readonly killJobManager: boolean;
  /** TaskManagers of the local cluster; undefined: max(2, parallelism). */
  readonly taskmanagers?: number;
  readonly seed: number;
  readonly json: boolean;
  readonly jobArgs: readonly string[];
}

/** One output's comparison, as printed. */
interface OutputSummary extends OutputDiff {
  readonly output: string;
  /** Rows the failure-free run committed. */
  readonly records: number;
  /** Rows the run with faults committed. */
  readonly committed: number;
}

function out(line: string): void {
  write(`${line}\n`);
}

/** Runs the two runs and prints the summary; 0 when every output equals the failure-free run. */
export async function chaosCommand(flags: ChaosFlags): Promise<number> {
  if (!Number.isSafeInteger(flags.kills) || flags.kills < 0) throw new CliError(`--kills must be a non-negative integer, got ${flags.kills}`);
  if (!(flags.checkpointInterval > 0)) throw new CliError(`--checkpoint-interval must be a positive number of ms, got ${flags.checkpointInterval}`);
  const args = parseJobArgs(flags.jobArgs);
  const prepared = await prepareJob(flags.job, flags.parallelism, args);
  const outputs = fileOutputNames(prepared.plan, args);
  if (outputs.length === 0) throw new CliError(`job ${flags.job} has no file: output to compare: pass its outputs as name=file:DIR after --`);
  const slots = Math.max(...prepared.plan.jobGraph.vertices.map((v) => v.parallelism));
  const taskManagers = flags.taskmanagers ?? Math.max(2, slots);
  const plan: ChaosPlan = {
    job: flags.job,
    parallelism: flags.parallelism,
    taskManagers,
    slotsPerTaskManager: Math.ceil(slots / taskManagers),
    args,
    outputs,
    checkpointIntervalMs: flags.checkpointInterval,
    taskManagerKills: 0,
    killJobManager: false,
    seed: flags.seed,
  };
  if (!flags.json) out(`Failure-free run of ${flags.job} at parallelism ${flags.parallelism} on ${taskManagers} TaskManagers...`);
  const clean = await runChaos(plan);
  if (clean.final.state !== 'FINISHED') throw new CliError(`the failure-free run of ${flags.job} ended ${clean.final.state}${clean.final.failure ? `: ${clean.final.failure}` : ''}`);
  if (!flags.json) out(`Run with ${flags.kills} TaskManager kill(s)${flags.killJobManager ? ' and a JobManager kill' : ''}...`);
  const chaos = await runChaos({
    ...plan,
    taskManagerKills: flags.kills,
    killJobManager: flags.killJobManager,
    onFault: (fault) => {
      if (!flags.json) out(`  SIGKILL ${fault.kind === 'taskmanager' ? 'a TaskManager' : 'the JobManager'} after checkpoint ${fault.afterCheckpoint}`);
    },
  });
  const summaries = outputs.map((name) => summarize(name, clean, chaos));
  const problems = [
    ...(chaos.final.state === 'FINISHED' ? [] : [`the run with faults ended ${chaos.final.state}${chaos.final.failure ? `: ${chaos.final.failure}` : ''}`]),
    ...(chaos.skipped > 0 ? [`${chaos.skipped} fault(s) not injected because the job had ended: slow its input (file:...?rate=N)`] : []),
    ...summaries.filter((s) => s.lost + s.duplicates + s.unexpected > 0).map((s) => `output ${s.output} differs from the failure-free run`),
  ];
  if (flags.json) {
    out(JSON.stringify({ job: flags.job, state: chaos.final.state, taskManagerKills: chaos.taskManagerKills, jobManagerKills: chaos.jobManagerKills, restarts: chaos.final.restarts, outputs: summaries, problems }));
  } else {
    out(`Kills: ${chaos.taskManagerKills} TaskManager, ${chaos.jobManagerKills} JobManager; restarts ${chaos.final.restarts}`);
    for (const s of summaries) out(`  ${s.output}: records ${s.records}, committed ${s.committed}, lost ${s.lost}, duplicated ${s.duplicates}, unexpected ${s.unexpected}`);
    out(problems.length === 0 ? 'Exactly once: every output equals the failure-free run.' : problems.map((p) => `FAILED: ${p}`).join('\n'));
  }
  return problems.length === 0 ? 0 : 1;
}

function summarize(output: string, clean: ChaosResult, chaos: ChaosResult): OutputSummary {
  const expected = clean.outputs[output] ?? [];
  const committed = chaos.outputs[output] ?? [];
  return { output, records: expected.length, committed: committed.length, ...compareOutput(committed, referenceOf(expected)) };
}
