/** Loads a job module the way the cluster will: bundle it, evaluate the bundle, build the plan. */
import { bundleJob } from '../bundle/bundle-job.ts';
import { buildJob } from '../../common/graph/build-job.ts';
import { loadJobBundle } from '../../common/graph/job-bundle.ts';
import * as api from '../index.ts';
import type { JobPlan } from '../../common/graph/job-plan.ts';
import { CliError } from './cli-error.ts';

/** A job ready to submit. */
export interface PreparedJob {
  readonly plan: JobPlan;
  readonly bundle: Buffer;
}

/** Parses `name=URI` arguments. */
export function parseJobArgs(items: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliError(`job argument "${item}" is not of the form name=URI`);
    args[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return args;
}

/** Bundles and plans a job. */
export async function prepareJob(jobPath: string, parallelism: number, args: Record<string, string>): Promise<PreparedJob> {
  let code: string;
  try {
    code = await bundleJob(jobPath);
  } catch (error) {
    throw new CliError(`cannot bundle job ${jobPath}: ${(error as Error).message}`);
  }
  try {
    const definition = loadJobBundle(code, `${jobPath}/bundle.cjs`, api);
    const plan = buildJob(definition, { parallelism, args });
    return { plan, bundle: Buffer.from(code) };
  } catch (error) {
    throw new CliError(`invalid job ${jobPath}: ${(error as Error).message}`);
  }
}
