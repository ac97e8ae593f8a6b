/**
 * The MiniCluster test helper: a JobManager and N TaskManagers as real processes on port 0, with
 * the calls tests need (submit, wait for a state, REST, metrics, kill).
 */
import { getUrl } from './http-get.ts';
import { ClusterClient, type SubmitJobOptions } from '../../client/cluster-client.ts';
import { prepareJob } from '../../client/cli/prepare-job.ts';
import { killProcess, LocalCluster, type ClusterProcess, type LocalClusterOptions } from '../../client/local-cluster.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import { waitFor } from './wait-for.ts';

/** A running test cluster. */
export class MiniCluster {
  readonly local: LocalCluster;
  private clientInstance: ClusterClient | undefined;

  private constructor(options: LocalClusterOptions) {
    this.local = new LocalCluster(options);
  }

  /** Starts a cluster; default 2 TaskManagers with 2 slots each. */
  static async start(options: LocalClusterOptions = {}): Promise<MiniCluster> {
    const cluster = new MiniCluster({ taskManagers: 2, slotsPerTaskManager: 2, logs: process.env.SLUICE_TEST_LOGS ? 'inherit' : 'ignore', ...options });
    await cluster.local.start();
    await cluster.waitForTaskManagers(options.taskManagers ?? 2);
    return cluster;
  }

  /** The JobManager's gRPC address. */
  get address(): string {
    return this.local.address;
  }

  /** A client of the JobManager. */
  get client(): ClusterClient {
    this.clientInstance ??= new ClusterClient(this.address, this.local.clientSecurity);
    return this.clientInstance;
  }

  /** GETs a REST path of the JobManager and parses the JSON. */
  async rest<T = Record<string, unknown>>(path: string): Promise<T> {
    const res = await getUrl(`${this.local.restUrl}${path}`, this.local.clientSecurity);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  /** GETs a text page (e.g. `/metrics`) from the JobManager or from a process's metrics port. */
  async text(url: string): Promise<string> {
    return (await getUrl(url.startsWith('http') ? url : `${this.local.restUrl}${url}`, this.local.clientSecurity)).body;
  }

  /** Waits until `n` TaskManagers are registered. */
  async waitForTaskManagers(n: number): Promise<void> {
    await waitFor(async () => ((await this.rest<{ taskmanagers: number }>('/overview')).taskmanagers === n ? true : undefined), `${n} TaskManagers`);
  }

  /** Bundles, plans and submits a job; resolves with its id. */
  async submit(jobPath: string, parallelism: number, args: Record<string, string>, options: SubmitJobOptions = {}): Promise<string> {
    const prepared = await prepareJob(jobPath, parallelism, args);
    return this.client.submit(prepared.plan.jobGraph, prepared.bundle, options);
  }

  /** Waits until the job is in one of `states`. */
  async waitForState(jobId: string, states: string[], timeoutMs = 60_000): Promise<JobStatus> {
    return waitFor(async () => {
      const s = await this.client.status(jobId);
      return states.includes(s.state) ? s : undefined;
    }, `job ${jobId} to reach ${states.join('/')}`, timeoutMs);
  }

  /** Waits until the job runs with every task RUNNING and records flowing in. */
  async waitForAllTasksRunning(jobId: string): Promise<JobStatus> {
    return waitFor(async () => {
      const s = await this.client.status(jobId);
      return s.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING') && s.recordsIn > 0 ? s : undefined;
    }, `job ${jobId} to run with records flowing`);
  }

  /** The TaskManager processes. */
  get taskManagers(): ClusterProcess[] {
    return this.local.taskManagers;
  }

  /** Kills a TaskManager with SIGKILL. */
  async killTaskManager(index: number): Promise<void> {
    const tm = this.local.taskManagers[index];
    if (!tm) throw new Error(`no TaskManager ${index}`);
    await killProcess(tm.child, 'SIGKILL');
  }

  /** Kills the JobManager with SIGKILL. */
  async killJobManager(): Promise<void> {
    const jm = this.local.jobManager;
    if (!jm) throw new Error('no JobManager');
    await killProcess(jm.child, 'SIGKILL');
  }

  /** Starts a JobManager again on the same ports and data directory. */
  async restartJobManager(): Promise<void> {
    this.clientInstance?.close();
    this.clientInstance = undefined;
    await this.local.restartJobManager();
  }

  /** Stops everything and removes the data directory. */
  async stop(): Promise<void> {
    this.clientInstance?.close();
    await this.local.stop();
  }
}

export { readCommittedOutput } from '../../client/chaos/committed-output.ts';
