/** How a job module describes its pipeline: one exported definition, built from named arguments. */
import type { Sink } from '../../common/connector/sink.ts';
import type { Source } from '../../common/connector/source.ts';
import { sinkFromUri, sourceFromUri } from '../../connectors/registry.ts';
import type { BuildSettings, DescribedJob, JobBlueprint } from '../../common/graph/build-job.ts';
import { StreamExecutionEnvironment } from './environment.ts';

/** Options of an input, for formats the URI does not tell. */
export interface InputOptions {
  format?: 'jsonl' | 'csv';
  /** Checks a parsed record; a returned message sends the line to `malformed` instead. */
  validate?: (record: Record<string, unknown>) => string | undefined;
  /** The longest line of a `file:` input, in bytes (default 1 MiB); a URI's `?maxLineBytes=N` wins. */
  maxLineBytes?: number;
  /** Bytes of malformed lines per source subtask and checkpoint interval (default 64 MiB); a URI's `?maxMalformedBytes=N` wins. */
  maxMalformedBytes?: number;
}

/**
 * The `name=URI` arguments a job was started with (`sluice run JOB -- in=file:x.jsonl out=file:out`).
 * Jobs turn them into sources and sinks; a missing required argument is a clear error.
 */
export class JobArgs {
  constructor(readonly values: Readonly<Record<string, string>>) {}

  /** Whether an argument was given. */
  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  /** The URI of an argument; throws if it is missing. */
  get(name: string): string {
    const value = this.values[name];
    if (value === undefined) throw new Error(`job argument "${name}" is missing: pass ${name}=URI after --`);
    return value;
  }

  /**
   * The source for an input argument. `T` is the record type the job reads it as; pass a
   * `validate` option to make sure records that reach the job have that shape.
   */
  source<T = Record<string, unknown>>(name: string, options: InputOptions = {}): Source<T> {
    return sourceFromUri(name, this.get(name), options) as Source<unknown> as Source<T>;
  }

  /** The sink for an output argument. */
  sink<T = unknown>(name: string): Sink<T> {
    return sinkFromUri(name, this.get(name)) as Sink<T>;
  }

  /** The sink for an optional output argument, or undefined when it was not given. */
  optionalSink<T = unknown>(name: string): Sink<T> | undefined {
    return this.has(name) ? this.sink<T>(name) : undefined;
  }
}

/** A job: a name and a function that builds its graph. Building must be deterministic. */
export interface JobDefinition {
  readonly name: string;
  /** Optional default argument values, used when the CLI does not give them. */
  readonly defaults?: Readonly<Record<string, string>>;
  build(env: StreamExecutionEnvironment, args: JobArgs): void;
}

/**
 * Declares a job; a job module exports the result as its default export. The result is also the
 * blueprint the runtime plans the job from, in the client and in every TaskManager.
 */
export function defineJob(definition: JobDefinition): JobDefinition & JobBlueprint {
  if (!definition.name) throw new Error('defineJob needs a name');
  if (typeof definition.build !== 'function') throw new Error('defineJob needs a build(env, args) function');
  return Object.freeze({ ...definition, describe: (settings: BuildSettings) => describeJob(definition, settings) });
}

/** Runs a job's builder in a fresh environment. */
function describeJob(definition: JobDefinition, settings: BuildSettings): DescribedJob {
  const env = new StreamExecutionEnvironment({ parallelism: settings.parallelism, maxParallelism: settings.maxParallelism });
  const args = { ...(definition.defaults ?? {}), ...settings.args };
  definition.build(env, new JobArgs(args));
  return { graph: env.graph, parallelism: env.getParallelism(), maxParallelism: env.getMaxParallelism(), args };
}
