/**
 * The TaskManager process: serves deployments and the data plane on one gRPC port, registers its
 * slots with the JobManager, heartbeats, and re-registers when the JobManager forgets it.
 *
 * A TaskManager that hears nothing from its JobManager for the heartbeat timeout (the JobManager
 * down, or the network cut) cancels its tasks, since the JobManager declares it lost after the
 * same timeout and runs them elsewhere, and registers again. A heartbeat that hangs on a dead
 * connection is given up on at the timeout, so the tasks stop even when no call ever fails.
 */
import type { NotifyCheckpointRequest__Output } from '../proto/generated/sluice/control/NotifyCheckpointRequest.ts';
import type { QueryStateRequest__Output } from '../proto/generated/sluice/control/QueryStateRequest.ts';
import type { TriggerCheckpointRequest__Output } from '../proto/generated/sluice/control/TriggerCheckpointRequest.ts';
import type { Server as HttpServer } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { delay } from '../common/async.ts';
import { status } from '@grpc/grpc-js';
import { errorMessage, hasGrpcCode, invalidArgument, toServiceError } from '../common/errors.ts';
import { newProcessId } from '../common/ids.ts';
import { createLogger, type Logger } from '../common/logging.ts';
import { serveMetrics } from '../common/metrics-http.ts';
import { CallerResolver } from '../common/rpc/grpc-security.ts';
import { bindServer, createGrpcServer, serviceRules, stopServer, unaryHandler } from '../common/rpc/grpc-server.ts';
import { ownIdentity } from '../common/security/security-config.ts';
import { controlProto, dataProto } from '../common/rpc/proto.ts';
import type { TaskDeployment } from '../common/rpc/index.ts';
import type { TaskManagerServiceHandlers } from '../proto/generated/sluice/control/TaskManagerService.ts';
import { resolveTaskManagerConfig, type TaskManagerConfig, type TaskManagerOptions } from './config.ts';
import { GrpcJobManagerGateway } from './gateway/grpc-jobmanager-gateway.ts';
import type { JobManagerGateway } from './gateway/jobmanager-gateway.ts';
import { createTaskManagerMetrics } from './metrics.ts';
import { DataClientPool } from './network/data-client-pool.ts';
import { createExchangeHandlers } from './network/exchange-service.ts';
import { PartitionManager } from './network/partition-manager.ts';
import { TaskExecutor } from './task-executor.ts';
import { DATA_EXCHANGE_ACCESS, TASK_MANAGER_ACCESS } from './taskmanager-access.ts';

/** Answers of the JobManager that retrying cannot change: the TaskManager's configuration or credentials are wrong. */
const REFUSALS = [status.INVALID_ARGUMENT, status.PERMISSION_DENIED, status.UNAUTHENTICATED];

/** What one heartbeat found out: the JobManager knows this TaskManager, forgot it, did not answer yet, or has been silent for the timeout. */
type HeartbeatOutcome = 'known' | 'unknown' | 'failed' | 'timed-out';

/** The lifecycle of a TaskManager's connection to its JobManager. */
export type TaskManagerState = 'CREATED' | 'REGISTERING' | 'REGISTERED' | 'STOPPED';

/** A running TaskManager. */
export class TaskManager {
  /** From the certificate when TLS is on, so that the id peers verify is the one it reports. */
  readonly id: string;
  readonly config: TaskManagerConfig;
  private readonly log: Logger;
  private readonly server;
  private readonly partitions: PartitionManager;
  private readonly dataClients: DataClientPool;
  private readonly jobManager: JobManagerGateway;
  private executor: TaskExecutor | undefined;
  private metricsServer: HttpServer | undefined;
  private state: TaskManagerState = 'CREATED';
  private address = '';
  private metricsAddr = '';
  private heartbeatIntervalMs = 1_000;
  private heartbeatTimeoutMs = 5_000;
  private lastAcknowledged = 0;
  private readonly stopping = new AbortController();
  private terminate: (reason: string) => void = () => undefined;
  /** Resolves with the reason when the TaskManager stops by itself (the JobManager refused it). */
  readonly terminated = new Promise<string>((resolve) => {
    this.terminate = resolve;
  });

  constructor(options: TaskManagerOptions, gateway?: JobManagerGateway) {
    this.config = resolveTaskManagerConfig(options);
    const security = this.config.security;
    const identity = ownIdentity(security, 'taskmanager');
    this.id = identity?.role === 'taskmanager' ? identity.id : newProcessId('tm');
    this.log = createLogger('taskmanager', { tm: this.id });
    this.server = createGrpcServer(security, new Map([
      ...serviceRules(controlProto.sluice.control.TaskManagerService.service, TASK_MANAGER_ACCESS),
      ...serviceRules(dataProto.sluice.data.DataExchange.service, DATA_EXCHANGE_ACCESS),
    ]));
    this.dataClients = new DataClientPool(security);
    this.partitions = new PartitionManager({ subscribeTimeoutMs: this.config.partitionWaitMs, maxPendingSubscriptions: this.config.maxPendingSubscriptions });
    this.jobManager = gateway ?? new GrpcJobManagerGateway(this.config.jobManagerAddress, security);
  }

  /** The address of the metrics endpoint, or '' when disabled. */
  get metricsAddress(): string {
    return this.metricsAddr;
  }

  /** The advertised gRPC address, once started. */
  get rpcAddress(): string {
    return this.address;
  }

  /** Binds the servers and starts registering; resolves once the first registration succeeded. */
  async start(): Promise<void> {
    await mkdir(this.config.dataDir, { recursive: true });
    const self = this;
    const executor = new TaskExecutor(
      () => this.id,
      () => this.jobManager,
      {
        get address() {
          return self.address;
        },
        partitions: this.partitions,
        dataClients: this.dataClients,
        partitionConfig: this.config.partition,
        initialCredit: this.config.initialCredit,
        log: this.log,
      },
      this.config.dataDir,
      this.config.stateCache,
      this.log,
    );
    this.executor = executor;
    this.server.addService(controlProto.sluice.control.TaskManagerService.service, this.controlHandlers(executor));
    this.server.addService(dataProto.sluice.data.DataExchange.service, createExchangeHandlers(this.partitions, new CallerResolver(this.config.security), this.log));
    const port = await bindServer(this.server, this.config.host, this.config.port, this.config.security);
    if (this.config.security.mode === 'insecure') this.log.warn({ port }, 'running without authentication (--insecure): anyone who reaches this port can deploy tasks and read the data plane');
    this.address = `${this.config.host}:${port}`;
    if (this.config.metricsPort !== undefined) {
      const metrics = await serveMetrics(createTaskManagerMetrics(executor, this.id, this.config.slots), this.config.host, this.config.metricsPort, this.config.security);
      this.metricsServer = metrics.server;
      this.metricsAddr = `${this.config.host}:${metrics.port}`;
    }
    this.log.info({ address: this.address, metrics: this.metricsAddr, slots: this.config.slots }, 'TaskManager started');
    try {
      await this.register();
    } catch (error) {
      await this.stop();
      throw error;
    }
    void this.heartbeatLoop();
  }

  /** Stops tasks and servers. */
  async stop(): Promise<void> {
    if (this.state === 'STOPPED') return;
    this.state = 'STOPPED';
    this.stopping.abort();
    this.executor?.cancelAll();
    await stopServer(this.server);
    await this.executor?.close().catch((error: unknown) => this.log.warn({ err: error }, 'closing state databases failed'));
    this.metricsServer?.close();
    this.dataClients.close();
    this.jobManager.close();
  }

  private async register(): Promise<void> {
    this.state = 'REGISTERING';
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      try {
        const accepted = await this.jobManager.registerTaskManager({
          taskmanagerId: this.id,
          address: this.address,
          slots: this.config.slots,
          metricsAddress: this.metricsAddr,
        });
        this.heartbeatIntervalMs = accepted.heartbeatIntervalMs;
        this.heartbeatTimeoutMs = accepted.heartbeatTimeoutMs;
        this.lastAcknowledged = Date.now();
        this.state = 'REGISTERED';
        this.log.info({ jobmanager: accepted.jobmanagerId }, 'registered at the JobManager');
        return;
      } catch (error) {
        if (REFUSALS.some((code) => hasGrpcCode(error, code))) throw new Error(`the JobManager at ${this.config.jobManagerAddress} refused this TaskManager: ${errorMessage(error)}`);
        attempt++;
        if (attempt === 1 || attempt % 20 === 0) this.log.warn({ err: errorMessage(error), jobmanager: this.config.jobManagerAddress }, 'JobManager unreachable; retrying');
        await delay(Math.min(100 * attempt, 1_000), this.stopping.signal).catch(() => undefined);
      }
    }
  }

  /** Registers again; a refusal stops the TaskManager (see `terminated`). Returns whether it registered. */
  private async reregister(): Promise<boolean> {
    try {
      await this.register();
      return true;
    } catch (error) {
      this.log.error({ err: errorMessage(error) }, 'registration refused; stopping');
      this.terminate(errorMessage(error));
      await this.stop();
      return false;
    }
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await delay(this.heartbeatIntervalMs, this.stopping.signal).catch(() => undefined);
      if (this.stopping.signal.aborted) return;
      const outcome = await this.heartbeatOnce();
      if (this.stopping.signal.aborted) return;
      if (outcome === 'known' || outcome === 'failed') continue;
      if (outcome === 'unknown') this.log.warn('the JobManager does not know this TaskManager; cancelling tasks and re-registering');
      else this.log.warn({ jobmanager: this.config.jobManagerAddress, timeoutMs: this.heartbeatTimeoutMs, silentMs: Date.now() - this.lastAcknowledged }, 'JobManager heartbeat timed out; cancelling tasks and re-registering');
      this.executor?.cancelAll();
      if (!(await this.reregister())) return;
    }
  }

  /** Sends one heartbeat and waits for its answer at most until the heartbeat timeout runs out. */
  private async heartbeatOnce(): Promise<HeartbeatOutcome> {
    const left = this.lastAcknowledged + this.heartbeatTimeoutMs - Date.now();
    const giveUp = new AbortController();
    const call = this.jobManager.heartbeat(this.id, this.executor?.metricsSamples() ?? []);
    call.catch(() => undefined);
    try {
      const answer = await Promise.race([call, delay(Math.max(0, left), AbortSignal.any([giveUp.signal, this.stopping.signal])).then(() => 'silent' as const)]);
      if (answer === 'silent') return 'timed-out';
      this.lastAcknowledged = Date.now();
      return answer ? 'known' : 'unknown';
    } catch (error) {
      if (Date.now() - this.lastAcknowledged < this.heartbeatTimeoutMs) {
        this.log.debug({ err: errorMessage(error) }, 'heartbeat failed');
        return 'failed';
      }
      return 'timed-out';
    } finally {
      giveUp.abort();
    }
  }

  private controlHandlers(executor: TaskExecutor): TaskManagerServiceHandlers {
    return {
      DeployTask: unaryHandler(async (deployment: TaskDeployment) => {
        await executor.deploy(deployment);
        return {};
      }, toServiceError),
      CancelTask: unaryHandler(async (req: { executionId: string }) => {
        executor.cancel(req.executionId);
        return {};
      }, toServiceError),
      ReleaseJob: unaryHandler(async (req: { jobId: string }) => {
        await executor.releaseJob(req.jobId);
        return {};
      }, toServiceError),
      TriggerCheckpoint: unaryHandler(async (req: TriggerCheckpointRequest__Output) => {
        if (!req.barrier) throw invalidArgument('a checkpoint trigger needs a barrier');
        executor.triggerCheckpoint(req.executionId, req.barrier);
        return {};
      }, toServiceError),
      NotifyCheckpoint: unaryHandler(async (req: NotifyCheckpointRequest__Output) => {
        executor.notifyCheckpoint(req.jobId, req.attempt, req.checkpointId, req.completed);
        return {};
      }, toServiceError),
      QueryState: unaryHandler(async (req: QueryStateRequest__Output) => {
        let key: unknown;
        try {
          key = JSON.parse(req.keyJson);
        } catch {
          throw invalidArgument(`QueryState: key_json is not JSON: ${req.keyJson.slice(0, 100)}`);
        }
        if (typeof key !== 'string' && typeof key !== 'number') throw invalidArgument(`QueryState: the key must be a string or a number, got ${req.keyJson.slice(0, 100)}`);
        const answer = await executor.queryState(req.executionId, req.stateName, key);
        return { status: answer.status, valueJson: answer.status === 'FOUND' ? JSON.stringify(answer.value) : '' };
      }, toServiceError),
    };
  }
}
