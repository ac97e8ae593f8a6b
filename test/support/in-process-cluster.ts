/**
 * The fast MiniCluster: a JobManager and N TaskManagers in the test's own Node process (see
 * mini-cluster.ts for the one of real processes). They talk real gRPC on 127.0.0.1, every port
 * picked by the OS, without credentials (insecure, which each process logs as a warning), and
 * keep their data in a temporary directory that `stop` removes. Starting one takes no process
 * spawn and no bundle fetch across processes, so a test of a whole job runs in about a second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterClient, type SubmitJobOptions } from '../../client/cluster-client.ts';
import { prepareJob } from '../../client/cli/prepare-job.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import type { SecurityConfig } from '../../common/security/security-config.ts';
import { JobManager } from '../../jobmanager/jobmanager.ts';
import type { JobManagerOptions } from '../../jobmanager/config.ts';
import type { TaskManagerOptions } from '../../taskmanager/config.ts';
import { TaskManager } from '../../taskmanager/taskmanager.ts';
import { waitFor } from './wait-for.ts';

const INSECURE: SecurityConfig = { mode: 'insecure' };

/** How to start an in-process cluster. */
export interface InProcessClusterOptions {
  /** TaskManagers to start (default 2). */
  readonly taskManagers?: number;
  /** Slots per TaskManager (default 2). */
  readonly slotsPerTaskManager?: number;
  /** More JobManager options (ports, data and security are the cluster's). */
  readonly jobManager?: Omit<JobManagerOptions, 'host' | 'port' | 'dataDir' | 'security'>;
  /** More TaskManager options (address, ports, slots, data and security are the cluster's). */
  readonly taskManager?: Omit<TaskManagerOptions, 'jobManagerAddress' | 'host' | 'port' | 'slots' | 'dataDir' | 'security'>;
}

/** A running in-process cluster. */
export class InProcessCluster {
  readonly taskManagers: TaskManager[] = [];
  private clientInstance: ClusterClient | undefined;

  private constructor(
    readonly jobManager: JobManager,
    /** The temporary directory holding every process's data. */
    readonly dir: string,
  ) {}

  /** Starts a JobManager, then the TaskManagers; resolves once every TaskManager registered. */
  static async start(options: InProcessClusterOptions = {}): Promise<InProcessCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-in-process-'));
    const jobManager = new JobManager({ heartbeatIntervalMs: 200, heartbeatTimeoutMs: 5_000, ...options.jobManager, host: '127.0.0.1', port: 0, dataDir: join(dir, 'jm'), security: INSECURE });
    const cluster = new InProcessCluster(jobManager, dir);
    try {
      await jobManager.start();
      for (let i = 0; i < (options.taskManagers ?? 2); i++) {
        const tm = new TaskManager({
          ...options.taskManager,
          jobManagerAddress: cluster.address,
          host: '127.0.0.1',
          port: 0,
          slots: options.slotsPerTaskManager ?? 2,
          dataDir: join(dir, `tm-${i}`),
          security: INSECURE,
        });
        cluster.taskManagers.push(tm);
        await tm.start();
      }
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** The JobManager's gRPC address. */
  get address(): string {
    return `127.0.0.1:${this.jobManager.port}`;
  }

  /** A client of the JobManager. */
  get client(): ClusterClient {
    this.clientInstance ??= new ClusterClient(this.address, INSECURE);
    return this.clientInstance;
  }

  /** Bundles, plans and submits a job; resolves with its id. */
  async submit(jobPath: string, parallelism: number, args: Record<string, string>, options: SubmitJobOptions = {}): Promise<string> {
    const prepared = await prepareJob(jobPath, parallelism, args);
    return this.client.submit(prepared.plan.jobGraph, prepared.bundle, options);
  }

  /** Waits until the job is in one of `states`. */
  async waitForState(jobId: string, states: readonly string[], timeoutMs = 60_000): Promise<JobStatus> {
    return waitFor(
      async () => {
        const s = await this.client.status(jobId);
        return states.includes(s.state) ? s : undefined;
      },
      `job ${jobId} to reach ${states.join('/')}`,
      timeoutMs,
    );
  }

  /** Stops every TaskManager and the JobManager and removes the data directory. */
  async stop(): Promise<void> {
    this.clientInstance?.close();
    for (const tm of this.taskManagers) await tm.stop();
    await this.jobManager.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
