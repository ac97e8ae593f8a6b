/**
 * Turns what a job module exports into its plan, the same way in every process: the client before
 * it submits the job, and each TaskManager when it rebuilds the job to find the user functions.
 */
import { buildJobPlan, type JobPlan } from './job-plan.ts';
import type { StreamGraph } from './stream-graph.ts';

/** Settings a job is built with. */
export interface BuildSettings {
  parallelism: number;
  maxParallelism?: number;
  args: Readonly<Record<string, string>>;
}

/** A job's logical graph as its builder left it, with the defaults it was built under. */
export interface DescribedJob {
  readonly graph: StreamGraph;
  readonly parallelism: number;
  readonly maxParallelism: number | undefined;
  /** The arguments the graph was built with: the job's defaults overlaid with the given ones. */
  readonly args: Readonly<Record<string, string>>;
}

/**
 * A job as the runtime sees it: a name and a deterministic builder of its logical graph. The
 * DataStream API's `defineJob` makes one; a job module exports it as its default export.
 */
export interface JobBlueprint {
  readonly name: string;
  /** Builds the job's logical graph for `settings`: the same graph every time. */
  describe(settings: BuildSettings): DescribedJob;
}

/** Whether a value (a bundle's export, say) is a job blueprint. */
export function isJobBlueprint(value: unknown): value is JobBlueprint {
  const candidate = value as Partial<JobBlueprint> | null | undefined;
  return typeof candidate?.name === 'string' && typeof candidate.describe === 'function';
}

/** Builds the job's graph and plans it. */
export function buildJob(blueprint: JobBlueprint, settings: BuildSettings): JobPlan {
  const described = blueprint.describe(settings);
  return buildJobPlan(blueprint.name, described.graph, { parallelism: described.parallelism, maxParallelism: described.maxParallelism }, described.args);
}
