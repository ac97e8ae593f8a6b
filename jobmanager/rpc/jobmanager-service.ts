/** The gRPC adapter of the JobManager: maps each RPC onto the dispatcher and the registry. */
import type * as grpc from '@grpc/grpc-js';
import { permissionDenied, toServiceError } from '../../common/errors.ts';
import { callerOf, speaksFor, type CallerResolver } from '../../common/rpc/grpc-security.ts';
import { unaryHandler } from '../../common/rpc/grpc-server.ts';
import type { JobManagerServiceHandlers } from '../../proto/generated/sluice/control/JobManagerService.ts';
import type { Dispatcher } from '../dispatcher.ts';
import type { TaskManagerRegistry } from '../resourcemanager/taskmanager-registry.ts';
import type { CollectStore } from '../collect-store.ts';
import { isTerminalJobState } from '../../common/job-state.ts';

/** Settings the service tells TaskManagers when they register. */
export interface ServiceSettings {
  jobmanagerId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
}

/** Builds the handlers of `JobManagerService`. */
export function createJobManagerHandlers(
  dispatcher: Dispatcher,
  registry: TaskManagerRegistry,
  collected: CollectStore,
  callers: CallerResolver,
  settings: ServiceSettings,
): JobManagerServiceHandlers {
  const handle = <Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res) => unaryHandler<Req, Res>(async (req, call) => fn(req, call), toServiceError);
  /** Refuses a TaskManager call made under another TaskManager's id. */
  const requireSelf = (call: grpc.ServerUnaryCall<unknown, unknown>, taskManagerId: string): void => {
    if (!speaksFor(callerOf(callers, call), taskManagerId)) throw permissionDenied(`the certificate of this caller is not TaskManager ${taskManagerId}'s`);
  };
  /** The TaskManager a call comes from, by its certificate; undefined in insecure mode. */
  const callingTaskManager = (call: grpc.ServerUnaryCall<unknown, unknown>): string | undefined => {
    const caller = callerOf(callers, call);
    return caller.kind === 'peer' && caller.identity.role === 'taskmanager' ? caller.identity.id : undefined;
  };
  /** Refuses a report on an execution that runs on another TaskManager. */
  const requireHost = (call: grpc.ServerUnaryCall<unknown, unknown>, jobId: string, executionId: string): void => {
    const tm = callingTaskManager(call);
    const refusal = tm === undefined ? undefined : dispatcher.reportRefusal(tm, jobId, executionId);
    if (refusal !== undefined) throw permissionDenied(refusal);
  };
  /** Refuses access to a job that has no task on the calling TaskManager. */
  const requireJobHere = (call: grpc.ServerUnaryCall<unknown, unknown>, jobId: string): void => {
    const tm = callingTaskManager(call);
    const refusal = tm === undefined ? undefined : dispatcher.jobAccessRefusal(tm, jobId);
    if (refusal !== undefined) throw permissionDenied(refusal);
  };
  return {
    SubmitJob: handle(async (req) => {
      if (!req.graph) throw toServiceError(new Error('missing job graph'));
      const s = req.settings;
      const restore = req.restorePath ? await dispatcher.loadRestore(req.restorePath) : undefined;
      const jobId = dispatcher.submit(req.graph, req.bundle, {
        checkpoint: s
          ? { intervalMs: s.checkpointIntervalMs, timeoutMs: s.checkpointTimeoutMs, minPauseMs: s.minPauseMs, tolerableFailures: s.tolerableFailures, retained: s.retained, fullEvery: s.fullEvery }
          : undefined,
        restartStrategy: s?.restartStrategy,
        restore,
      });
      return { jobId };
    }),
    CancelJob: handle((req) => {
      dispatcher.cancel(req.jobId);
      return {};
    }),
    ListJobs: handle(() => ({ jobs: dispatcher.allJobs.map((j) => dispatcher.status(j.jobId)) })),
    GetJobStatus: handle((req) => dispatcher.status(req.jobId, true)),
    Collect: handle((req) => {
      const job = dispatcher.job(req.jobId);
      const batch = collected.read(req.jobId, req.fromOffset);
      if (batch) return { records: batch.bytes, nextOffset: req.fromOffset + 1, finished: false };
      return { records: Buffer.alloc(0), nextOffset: req.fromOffset, finished: isTerminalJobState(job.state) };
    }),
    RegisterTaskManager: handle((req, call) => {
      requireSelf(call, req.taskmanagerId);
      registry.register({ id: req.taskmanagerId, address: req.address, slots: req.slots, metricsAddress: req.metricsAddress });
      return { jobmanagerId: settings.jobmanagerId, heartbeatIntervalMs: settings.heartbeatIntervalMs, heartbeatTimeoutMs: settings.heartbeatTimeoutMs };
    }),
    Heartbeat: handle((req, call) => {
      requireSelf(call, req.taskmanagerId);
      const known = registry.heartbeat(req.taskmanagerId);
      if (known) dispatcher.onTaskMetrics(req.tasks);
      return { known };
    }),
    UpdateTaskState: handle((req, call) => {
      requireSelf(call, req.taskmanagerId);
      requireHost(call, req.jobId, req.executionId);
      dispatcher.onTaskMetrics([req]);
      dispatcher.onTaskState(req.jobId, req.executionId, req.state, req.failure);
      return {};
    }),
    GetBundle: handle((req, call) => {
      requireJobHere(call, req.jobId);
      const job = dispatcher.job(req.jobId);
      return { bundle: job.bundle, graph: job.jobGraph };
    }),
    PushCollected: handle((req, call) => {
      requireJobHere(call, req.jobId);
      dispatcher.pushCollected(req.jobId, req.records, req.count);
      return {};
    }),
    TriggerSavepoint: handle(async (req) => ({ path: await dispatcher.savepoint(req.jobId, req.targetDir || undefined, req.stop) })),
    RescaleJob: handle(async (req) => ({ savepointPath: await dispatcher.rescale(req.jobId, req.parallelism) })),
    AcknowledgeCheckpoint: handle((req, call) => {
      requireHost(call, req.jobId, req.executionId);
      dispatcher.acknowledgeCheckpoint(req.jobId, req.executionId, req.checkpointId, req.states, req.sizeBytes, req.incrementalBytes);
      return {};
    }),
    DeclineCheckpoint: handle((req, call) => {
      requireHost(call, req.jobId, req.executionId);
      dispatcher.declineCheckpoint(req.jobId, req.executionId, req.checkpointId, req.reason);
      return {};
    }),
  };
}
