/**
 * Test fakes for the JobManager side of scheduling: an in-memory TaskManagerGateway that records
 * every call, and a FakeCluster that wires a TaskManagerRegistry (with a manual clock), a SlotPool
 * and a Dispatcher to such gateways. Tests drive task state reports by hand; no sockets are used.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { ExecutionState, JobState } from '../../../common/job-state.ts';
import type { Logger } from '../../../common/logging.ts';
import type { JobGraph, TaskDeploymentInput } from '../../../common/rpc/index.ts';
import { CollectStore } from '../../../jobmanager/collect-store.ts';
import { DEFAULT_LIMITS } from '../../../jobmanager/config.ts';
import type { JobLimits } from '../../../jobmanager/job-limits.ts';
import { Dispatcher, type SubmitOptions } from '../../../jobmanager/dispatcher.ts';
import type { CheckpointNotification, CheckpointTrigger, StateQuery, StateQueryAnswer, TaskManagerGateway } from '../../../jobmanager/gateway/taskmanager-gateway.ts';
import type { JobMaster } from '../../../jobmanager/jobmaster/job-master.ts';
import { SlotPool } from '../../../jobmanager/jobmaster/slot-pool.ts';
import { TaskManagerRegistry, type RegisteredTaskManager } from '../../../jobmanager/resourcemanager/taskmanager-registry.ts';

/** One deployment a fake gateway accepted. */
export interface DeploymentRecord {
  readonly taskManagerId: string;
  readonly address: string;
  readonly deployment: TaskDeploymentInput;
}

/** One cancellation a fake gateway received. */
export interface CancelRecord {
  readonly taskManagerId: string;
  readonly jobId: string;
  readonly executionId: string;
}

/** One job release a fake gateway received. */
export interface ReleaseRecord {
  readonly taskManagerId: string;
  readonly jobId: string;
}

/** A TaskManagerGateway that keeps every call in memory and can fail deployments on demand. */
export class FakeTaskManagerGateway implements TaskManagerGateway {
  /** Deployments accepted, in call order. */
  readonly deployments: TaskDeploymentInput[] = [];
  /** Cancellations received, in call order. */
  readonly cancels: { jobId: string; executionId: string }[] = [];
  /** Job ids released, in call order. */
  readonly releases: string[] = [];
  /** Checkpoint triggers received, in call order. */
  readonly triggers: CheckpointTrigger[] = [];
  /** Checkpoint notifications received, in call order. */
  readonly notifications: CheckpointNotification[] = [];
  /** State queries received, in call order. */
  readonly queries: StateQuery[] = [];
  /** Answers to state queries, by `stateName/keyJson`; any other query is UNKNOWN_STATE. */
  readonly stateAnswers = new Map<string, StateQueryAnswer>();
  /** Whether the JobManager closed this gateway. */
  closed = false;
  /** When set, every `deployTask` rejects with this message and records nothing. */
  deployFailure: string | undefined;
  /** When set, every `cancelTask` rejects with this message (after recording the call). */
  cancelFailure: string | undefined;

  constructor(
    readonly address: string,
    private readonly listener: FakeGatewayListener = {},
  ) {}

  async deployTask(deployment: TaskDeploymentInput): Promise<void> {
    if (this.deployFailure !== undefined) throw new Error(this.deployFailure);
    this.deployments.push(deployment);
    this.listener.onDeploy?.(this, deployment);
  }

  async cancelTask(jobId: string, executionId: string): Promise<void> {
    this.cancels.push({ jobId, executionId });
    if (this.cancelFailure !== undefined) throw new Error(this.cancelFailure);
    this.listener.onCancel?.(this, jobId, executionId);
  }

  async releaseJob(jobId: string): Promise<void> {
    this.releases.push(jobId);
  }

  async triggerCheckpoint(trigger: CheckpointTrigger): Promise<void> {
    this.triggers.push(trigger);
    this.listener.onTrigger?.(this, trigger);
  }

  async notifyCheckpoint(notification: CheckpointNotification): Promise<void> {
    this.notifications.push({ ...notification });
  }

  async queryState(query: StateQuery): Promise<StateQueryAnswer> {
    this.queries.push({ ...query });
    return this.stateAnswers.get(`${query.stateName}/${query.keyJson}`) ?? { status: 'UNKNOWN_STATE', valueJson: '' };
  }

  close(): void {
    this.closed = true;
  }
}

/** Hooks a fake gateway calls after recording a call. */
export interface FakeGatewayListener {
  onDeploy?(gateway: FakeTaskManagerGateway, deployment: TaskDeploymentInput): void;
  onCancel?(gateway: FakeTaskManagerGateway, jobId: string, executionId: string): void;
  onTrigger?(gateway: FakeTaskManagerGateway, trigger: CheckpointTrigger): void;
}

/** Settings of a fake cluster; every timeout defaults to a value suited to unit tests, every limit to the JobManager's default. */
export interface FakeClusterOptions extends Partial<JobLimits> {
  /** Most slots one TaskManager may register with. */
  maxSlotsPerTaskManager?: number;
  slotRequestTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
  maxBundleBytes?: number;
  cancelTimeoutMs?: number;
  /** When true, a cancelled task reports CANCELED on its own, as a live TaskManager would. */
  confirmCancels?: boolean;
  /** Checkpoint storage; default a directory under the OS temp dir that nothing writes to unless checkpoints complete. */
  checkpointDir?: string;
}

/** A structured log line, as pino wrote it. */
export type LogRecord = Record<string, unknown>;

/** A manual clock for the TaskManager registry. */
export class ManualClock {
  /** The current time in ms. */
  now = 1_000_000;

  /** Moves the clock forward. */
  advance(ms: number): void {
    this.now += ms;
  }
}

/** A JobManager without transports: registry, slot pool and dispatcher over fake gateways. */
export class FakeCluster {
  readonly clock = new ManualClock();
  readonly registry: TaskManagerRegistry;
  readonly slotPool = new SlotPool();
  readonly dispatcher: Dispatcher;
  readonly log: Logger;
  /** Every log line the JobManager components wrote. */
  readonly logs: LogRecord[] = [];
  /** The gateways created so far, newest last; a re-registered TaskManager gets a new one. */
  readonly gateways: FakeTaskManagerGateway[] = [];
  readonly options: Required<FakeClusterOptions>;
  private readonly addressToId = new Map<string, string>();

  constructor(options: FakeClusterOptions = {}) {
    this.options = {
      slotRequestTimeoutMs: options.slotRequestTimeoutMs ?? 5_000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
      maxBundleBytes: options.maxBundleBytes ?? 1024 * 1024,
      cancelTimeoutMs: options.cancelTimeoutMs ?? 10_000,
      confirmCancels: options.confirmCancels ?? false,
      checkpointDir: options.checkpointDir ?? join(tmpdir(), 'sluice-fake-cluster-checkpoints'),
      maxSlotsPerTaskManager: options.maxSlotsPerTaskManager ?? DEFAULT_LIMITS.maxSlotsPerTaskManager,
      maxVerticesPerJob: options.maxVerticesPerJob ?? DEFAULT_LIMITS.maxVerticesPerJob,
      maxParallelism: options.maxParallelism ?? DEFAULT_LIMITS.maxParallelism,
      maxRunningJobs: options.maxRunningJobs ?? DEFAULT_LIMITS.maxRunningJobs,
      maxRetainedJobs: options.maxRetainedJobs ?? DEFAULT_LIMITS.maxRetainedJobs,
    };
    this.log = pino({ level: 'debug' }, { write: (line: string) => void this.logs.push(JSON.parse(line) as LogRecord) });
    const listener: FakeGatewayListener = {
      onCancel: (_gateway, jobId, executionId) => {
        if (this.options.confirmCancels) queueMicrotask(() => this.reportState(jobId, executionId, 'CANCELED'));
      },
    };
    this.registry = new TaskManagerRegistry(
      (address) => {
        const gateway = new FakeTaskManagerGateway(address, listener);
        this.gateways.push(gateway);
        return gateway;
      },
      this.options.heartbeatTimeoutMs,
      this.log,
      () => this.clock.now,
      this.options.maxSlotsPerTaskManager,
    );
    this.dispatcher = new Dispatcher(
      this.slotPool,
      new CollectStore(10_000),
      {
        slotRequestTimeoutMs: this.options.slotRequestTimeoutMs,
        maxBundleBytes: this.options.maxBundleBytes,
        cancelTimeoutMs: this.options.cancelTimeoutMs,
        checkpointDir: this.options.checkpointDir,
        maxVerticesPerJob: this.options.maxVerticesPerJob,
        maxParallelism: this.options.maxParallelism,
        maxRunningJobs: this.options.maxRunningJobs,
        maxRetainedJobs: this.options.maxRetainedJobs,
      },
      this.log,
    );
    this.registry.subscribe(this.slotPool);
    this.registry.subscribe(this.dispatcher);
  }

  /** The address a fake TaskManager registers with. */
  static addressOf(taskManagerId: string): string {
    return `fake://${taskManagerId}`;
  }

  /** Registers a TaskManager with `slots` slots. */
  registerTaskManager(id: string, slots: number): RegisteredTaskManager {
    const address = FakeCluster.addressOf(id);
    this.addressToId.set(address, id);
    return this.registry.register({ id, address, slots, metricsAddress: '' });
  }

  /** The current gateway of a registered TaskManager. */
  gatewayOf(taskManagerId: string): FakeTaskManagerGateway {
    const tm = this.registry.get(taskManagerId);
    if (!tm) throw new Error(`TaskManager ${taskManagerId} is not registered`);
    return tm.gateway as FakeTaskManagerGateway;
  }

  /** Sends a heartbeat from a TaskManager at the current clock time. */
  heartbeat(taskManagerId: string): boolean {
    return this.registry.heartbeat(taskManagerId);
  }

  /** Submits a job with a bundle of `bundleBytes` bytes. */
  submit(graph: JobGraph, bundleBytes = 16, options: SubmitOptions = {}): string {
    return this.dispatcher.submit(graph, Buffer.alloc(bundleBytes, 1), options);
  }

  /** The job master of a job. */
  job(jobId: string): JobMaster {
    return this.dispatcher.job(jobId);
  }

  /** Reports an execution state as a TaskManager would. */
  reportState(jobId: string, executionId: string, state: ExecutionState, failure = ''): void {
    this.dispatcher.onTaskState(jobId, executionId, state, failure);
  }

  /** Reports a state for every execution of a job that was deployed and has not ended yet. */
  reportAll(jobId: string, state: ExecutionState): void {
    for (const e of this.job(jobId).executionGraph.executions) {
      if (e.state === 'DEPLOYING' || e.state === 'INITIALIZING' || e.state === 'RUNNING' || e.state === 'CANCELING') {
        this.reportState(jobId, e.id, state);
      }
    }
  }

  /** Every deployment accepted by any gateway, in call order per gateway. */
  get deployments(): DeploymentRecord[] {
    return this.gateways.flatMap((g) => g.deployments.map((deployment) => ({ taskManagerId: this.idOf(g), address: g.address, deployment })));
  }

  /** Every cancellation received by any gateway. */
  get cancels(): CancelRecord[] {
    return this.gateways.flatMap((g) => g.cancels.map((c) => ({ taskManagerId: this.idOf(g), ...c })));
  }

  /** Every job release received by any gateway. */
  get releases(): ReleaseRecord[] {
    return this.gateways.flatMap((g) => g.releases.map((jobId) => ({ taskManagerId: this.idOf(g), jobId })));
  }

  /** The job states a job went through, starting with CREATED, as the job master logged them. */
  states(jobId: string): JobState[] {
    const states: JobState[] = ['CREATED'];
    for (const r of this.logs) if (r.msg === 'job state' && r.job === jobId) states.push(r.to as JobState);
    return states;
  }

  /** Ends what is still running (cancels jobs, confirms cancellations) and closes the registry. */
  close(): void {
    for (const job of this.dispatcher.allJobs) {
      if (job.state === 'CREATED' || job.state === 'RUNNING') job.cancel();
      for (const e of job.executionGraph.executions) {
        if (e.state !== 'FINISHED' && e.state !== 'FAILED' && e.state !== 'CANCELED') job.onExecutionState(e.id, 'CANCELED');
      }
    }
    this.registry.close();
  }

  private idOf(gateway: FakeTaskManagerGateway): string {
    return this.addressToId.get(gateway.address) ?? gateway.address;
  }
}

/** Polls `predicate` until it holds, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor(predicate: () => boolean, what = 'condition', timeoutMs = 5_000, intervalMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, intervalMs));
  }
}
