/** The limits the dispatcher applies to what clients submit, and their checks. */
import { invalidArgument } from '../common/errors.ts';
import type { JobGraph } from '../common/rpc/index.ts';

/** Limits on jobs (see the options of the same names in config.ts). */
export interface JobLimits {
  readonly maxVerticesPerJob: number;
  readonly maxParallelism: number;
  readonly maxRunningJobs: number;
  readonly maxRetainedJobs: number;
}

/** Longest vertex name an error message quotes. */
const MAX_QUOTED_NAME = 80;

function quoted(name: string): string {
  return JSON.stringify(name.length > MAX_QUOTED_NAME ? `${name.slice(0, MAX_QUOTED_NAME)}...` : name);
}

/**
 * Checks a submitted graph against the vertex and parallelism limits before anything else looks
 * at it; throws INVALID_ARGUMENT naming the limit.
 */
export function checkGraphLimits(graph: JobGraph, limits: JobLimits): void {
  const count = graph.vertices.length;
  if (count > limits.maxVerticesPerJob) {
    throw invalidArgument(`invalid job graph: it has ${count} vertices, more than the JobManager's limit of ${limits.maxVerticesPerJob} (maxVerticesPerJob)`);
  }
  for (const v of graph.vertices) {
    for (const [what, value] of [['max parallelism', v.maxParallelism], ['parallelism', v.parallelism]] as const) {
      if (value > limits.maxParallelism) {
        throw invalidArgument(`invalid job graph: vertex ${quoted(v.name)} has ${what} ${value}, above the JobManager's limit of ${limits.maxParallelism} (maxParallelism)`);
      }
    }
  }
}
