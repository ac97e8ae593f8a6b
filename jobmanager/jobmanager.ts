/**
 * The JobManager process: the gRPC control plane for clients and TaskManagers, the REST API and
 * metrics, the TaskManager registry with its heartbeat monitor, the slot pool and the dispatcher.
 */
import type { FastifyInstance } from 'fastify';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { newProcessId } from '../common/ids.ts';
import { createLogger, type Logger } from '../common/logging.ts';
import { bindServer, createGrpcServer, serviceRules, stopServer } from '../common/rpc/grpc-server.ts';
import { CallerResolver } from '../common/rpc/grpc-security.ts';
import { controlProto } from '../common/rpc/proto.ts';
import { CollectStore } from './collect-store.ts';
import { resolveJobManagerConfig, type JobManagerConfig, type JobManagerOptions } from './config.ts';
import { Dispatcher } from './dispatcher.ts';
import { GrpcTaskManagerGateway } from './gateway/grpc-taskmanager-gateway.ts';
import type { TaskManagerGatewayFactory } from './gateway/taskmanager-gateway.ts';
import { SlotPool } from './jobmaster/slot-pool.ts';
import { createJobManagerMetrics } from './metrics.ts';
import { TaskManagerRegistry } from './resourcemanager/taskmanager-registry.ts';
import { createRestServer } from './rest/rest-server.ts';
import { resumeStoredJobs, storeListener } from './ha/job-recovery.ts';
import { JobStore } from './ha/job-store.ts';
import { join } from 'node:path';
import { JOB_MANAGER_ACCESS } from './rpc/jobmanager-access.ts';
import { createJobManagerHandlers } from './rpc/jobmanager-service.ts';

/** A running JobManager. */
export class JobManager {
  readonly id = newProcessId('jm');
  readonly config: JobManagerConfig;
  readonly registry: TaskManagerRegistry;
  readonly slotPool = new SlotPool();
  readonly dispatcher: Dispatcher;
  private readonly log: Logger;
  private store: JobStore | undefined;
  private readonly server: ReturnType<typeof createGrpcServer>;
  private rest: FastifyInstance | undefined;
  private boundPort = 0;
  private boundRestPort = 0;

  constructor(options: JobManagerOptions = {}, gatewayFactory?: TaskManagerGatewayFactory) {
    this.config = resolveJobManagerConfig(options);
    const security = this.config.security;
    const gateways = gatewayFactory ?? ((address: string) => new GrpcTaskManagerGateway(address, security));
    this.log = createLogger('jobmanager', { jm: this.id });
    this.server = createGrpcServer(security, serviceRules(controlProto.sluice.control.JobManagerService.service, JOB_MANAGER_ACCESS), {
      'grpc.max_receive_message_length': this.config.maxRequestBytes,
    });
    this.registry = new TaskManagerRegistry(gateways, this.config.heartbeatTimeoutMs, this.log, Date.now, this.config.maxSlotsPerTaskManager);
    const collected = new CollectStore(this.config.maxCollectedRecords);
    this.dispatcher = new Dispatcher(
      this.slotPool,
      collected,
      {
        slotRequestTimeoutMs: this.config.slotRequestTimeoutMs,
        maxBundleBytes: this.config.maxBundleBytes,
        cancelTimeoutMs: 10_000,
        checkpointDir: this.config.checkpointDir,
        savepointDir: this.config.savepointDir,
        savepointRoots: this.config.savepointRoots,
        onTaskManagerUnreachable: (id, reason) => this.registry.markUnreachable(id, reason),
        maxVerticesPerJob: this.config.maxVerticesPerJob,
        maxParallelism: this.config.maxParallelism,
        maxRunningJobs: this.config.maxRunningJobs,
        maxRetainedJobs: this.config.maxRetainedJobs,
      },
      this.log,
    );
    this.registry.subscribe(this.slotPool);
    this.registry.subscribe(this.dispatcher);
    this.server.addService(
      controlProto.sluice.control.JobManagerService.service,
      createJobManagerHandlers(this.dispatcher, this.registry, collected, new CallerResolver(security), {
        jobmanagerId: this.id,
        heartbeatIntervalMs: this.config.heartbeatIntervalMs,
        heartbeatTimeoutMs: this.config.heartbeatTimeoutMs,
      }),
    );
  }

  /** The bound gRPC port. */
  get port(): number {
    return this.boundPort;
  }

  /** The bound REST port, or 0 when REST is off. */
  get restPort(): number {
    return this.boundRestPort;
  }

  /** Binds the servers and starts the heartbeat monitor. */
  async start(): Promise<void> {
    await mkdir(this.config.dataDir, { recursive: true });
    this.store = await JobStore.open(join(this.config.dataDir, 'ha'));
    this.dispatcher.listener = storeListener(this.store, this.log);
    await resumeStoredJobs(this.store, this.dispatcher, this.config.checkpointDir, this.log);
    this.boundPort = await bindServer(this.server, this.config.host, this.config.port, this.config.security);
    if (this.config.security.mode === 'insecure') this.log.warn({ port: this.boundPort }, 'running without authentication (--insecure): anyone who reaches this port can run code on every TaskManager');
    if (this.config.restPort !== undefined) {
      this.rest = createRestServer(this.dispatcher, this.registry, this.slotPool, createJobManagerMetrics(this.registry, this.slotPool, this.dispatcher), this.config.security);
      await this.rest.listen({ host: this.config.host, port: this.config.restPort });
      this.boundRestPort = (this.rest.server.address() as AddressInfo).port;
    }
    this.registry.startMonitor(Math.max(100, Math.floor(this.config.heartbeatIntervalMs / 2)));
    this.log.info({ port: this.boundPort, restPort: this.boundRestPort || undefined }, 'JobManager started');
  }

  /** Stops the servers. */
  async stop(): Promise<void> {
    this.registry.close();
    await this.rest?.close();
    await stopServer(this.server);
    await this.store?.close();
  }
}
