/**
 * The jobs a TaskManager runs tasks of (Flink's JobTable): each job's bundle is fetched from the
 * JobManager once, kept under the data directory, and evaluated with `sluice` bound to this
 * process's API. Every task gets a plan rebuilt from the job's blueprint, so that each subtask
 * has its own instances of the user's functions, as Flink deserializes a copy per subtask.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jobApi } from '../../client/runtime.ts';
import { buildJob, type JobBlueprint } from '../../common/graph/build-job.ts';
import { loadJobBundle } from '../../common/graph/job-bundle.ts';
import type { JobPlan } from '../../common/graph/job-plan.ts';
import type { Logger } from '../../common/logging.ts';
import type { JobGraph } from '../../common/rpc/index.ts';

/** Fetches a job's bundle and the graph it was submitted with. */
export type BundleFetcher = (jobId: string) => Promise<{ bundle: Buffer; graph: JobGraph }>;

/** A job's code, loaded from its bundle, and the graph it was submitted with. */
interface LoadedJob {
  readonly blueprint: JobBlueprint;
  readonly graph: JobGraph;
}

/** See the module comment. */
export class JobTable {
  private readonly jobs = new Map<string, Promise<LoadedJob>>();

  constructor(
    private readonly fetchBundle: BundleFetcher,
    /** Where bundles are kept: `<dir>/<job id>/bundle.cjs`. */
    private readonly dir: string,
    private readonly log: Logger,
  ) {}

  /** A fresh plan of the job, loading its bundle on first use. */
  async plan(jobId: string): Promise<JobPlan> {
    return planOf(await this.load(jobId));
  }

  /** Forgets a job and deletes its bundle file. */
  async release(jobId: string): Promise<void> {
    this.jobs.delete(jobId);
    await rm(join(this.dir, jobId), { recursive: true, force: true });
  }

  private load(jobId: string): Promise<LoadedJob> {
    let job = this.jobs.get(jobId);
    if (!job) {
      job = this.fetch(jobId);
      this.jobs.set(jobId, job);
      job.catch(() => this.jobs.delete(jobId));
    }
    return job;
  }

  private async fetch(jobId: string): Promise<LoadedJob> {
    const { bundle, graph } = await this.fetchBundle(jobId);
    const dir = join(this.dir, jobId);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'bundle.cjs');
    await writeFile(file, bundle);
    const job = { blueprint: loadJobBundle(bundle.toString('utf8'), file, jobApi), graph };
    const plan = planOf(job);
    const expected = graph.vertices.map((v) => v.id).sort().join(',');
    const rebuilt = [...plan.vertices.keys()].sort().join(',');
    if (expected !== rebuilt) throw new Error(`job ${jobId}: the bundle builds a different graph than the one submitted; job modules must build the same graph every time`);
    this.log.info({ job: jobId, vertices: plan.vertices.size }, 'job bundle loaded');
    return job;
  }
}

function planOf(job: LoadedJob): JobPlan {
  return buildJob(job.blueprint, { parallelism: job.graph.defaultParallelism, args: job.graph.args });
}
