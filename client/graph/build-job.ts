/** Runs a job definition's builder and plans the resulting graph, the same way in every process. */
import { JobArgs, type JobDefinition } from '../api/job-definition.ts';
import { StreamExecutionEnvironment } from '../api/environment.ts';
import { buildJobPlan, type JobPlan } from './job-plan.ts';

/** Settings a job is built with. */
export interface BuildSettings {
  parallelism: number;
  maxParallelism?: number;
  args: Readonly<Record<string, string>>;
}

/** Builds the job's graph and plan. */
export function buildJob(definition: JobDefinition, settings: BuildSettings): JobPlan {
  const env = new StreamExecutionEnvironment({ parallelism: settings.parallelism, maxParallelism: settings.maxParallelism });
  const args = { ...(definition.defaults ?? {}), ...settings.args };
  definition.build(env, new JobArgs(args));
  return buildJobPlan(definition.name, env.graph, { parallelism: env.getParallelism(), maxParallelism: env.getMaxParallelism() }, args);
}
