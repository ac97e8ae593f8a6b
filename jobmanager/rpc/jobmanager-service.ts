/**
 * The gRPC adapter of the JobManager: maps each RPC onto the dispatcher and the registry. Every
 * handler checks the fields it uses first: a missing or malformed field is INVALID_ARGUMENT
 * naming the method and the field (a request that does not decode at all is answered by
 * `unaryHandler`, see common/rpc/grpc-server.ts). Who may call each method is decided before
 * (jobmanager-access.ts); the handlers check that a TaskManager speaks only for itself and its
 * own tasks.
 */
import type * as grpc from '@grpc/grpc-js';
import { invalidArgument, permissionDenied, toServiceError } from '../../common/errors.ts';
import { callerOf, speaksFor, type CallerResolver } from '../../common/rpc/grpc-security.ts';
import { unaryHandler } from '../../common/rpc/grpc-server.ts';
import type { JobManagerServiceHandlers } from '../../proto/generated/sluice/control/JobManagerService.ts';
import type { Dispatcher } from '../dispatcher.ts';
import type { TaskManagerRegistry } from '../resourcemanager/taskmanager-registry.ts';
import type { CollectStore } from '../collect-store.ts';
import { EXECUTION_STATES, isTerminalJobState } from '../../common/job-state.ts';

/** Settings the service tells TaskManagers when they register. */
export interface ServiceSettings {
  jobmanagerId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
}

/** Throws INVALID_ARGUMENT when a string field of a request is empty. */
function requireField(method: string, field: string, value: string): string {
  if (!value) throw invalidArgument(`${method}: ${field} is missing`);
  return value;
}

/** Throws INVALID_ARGUMENT when a numeric field of a request is not a non-negative integer. */
function requireCount(method: string, field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalidArgument(`${method}: ${field} must be a non-negative integer, got ${value}`);
  return value;
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
      if (!req.graph) throw invalidArgument('SubmitJob: graph is missing');
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
      dispatcher.cancel(requireField('CancelJob', 'jobId', req.jobId));
      return {};
    }),
    ListJobs: handle(() => ({ jobs: dispatcher.allJobs.map((j) => dispatcher.status(j.jobId)) })),
    GetJobStatus: handle((req) => dispatcher.status(requireField('GetJobStatus', 'jobId', req.jobId), true)),
    Collect: handle((req) => {
      const job = dispatcher.job(requireField('Collect', 'jobId', req.jobId));
      const offset = requireCount('Collect', 'fromOffset', req.fromOffset);
      const batch = collected.read(req.jobId, offset);
      if (batch) return { records: batch.bytes, nextOffset: offset + 1, finished: false };
      return { records: Buffer.alloc(0), nextOffset: offset, finished: isTerminalJobState(job.state) };
    }),
    RegisterTaskManager: handle((req, call) => {
      requireSelf(call, req.taskmanagerId);
      registry.register({ id: req.taskmanagerId, address: req.address, slots: req.slots, metricsAddress: req.metricsAddress });
      return { jobmanagerId: settings.jobmanagerId, heartbeatIntervalMs: settings.heartbeatIntervalMs, heartbeatTimeoutMs: settings.heartbeatTimeoutMs };
    }),
    Heartbeat: handle((req, call) => {
      requireSelf(call, requireField('Heartbeat', 'taskmanagerId', req.taskmanagerId));
      const known = registry.heartbeat(req.taskmanagerId);
      if (known) dispatcher.onTaskMetrics(req.tasks);
      return { known };
    }),
    UpdateTaskState: handle((req, call) => {
      requireField('UpdateTaskState', 'jobId', req.jobId);
      requireField('UpdateTaskState', 'executionId', req.executionId);
      if (!EXECUTION_STATES.some((s) => s === req.state)) {
        throw invalidArgument(`UpdateTaskState: state must be one of ${EXECUTION_STATES.join(', ')}, got ${JSON.stringify(req.state.slice(0, 40))}`);
      }
      requireSelf(call, req.taskmanagerId);
      requireHost(call, req.jobId, req.executionId);
      dispatcher.onTaskMetrics([req]);
      dispatcher.onTaskState(req.jobId, req.executionId, req.state, req.failure);
      return {};
    }),
    GetBundle: handle((req, call) => {
      const jobId = requireField('GetBundle', 'jobId', req.jobId);
      const bundle = dispatcher.bundleOf(jobId);
      requireJobHere(call, jobId);
      return { bundle, graph: dispatcher.job(jobId).jobGraph };
    }),
    PushCollected: handle((req, call) => {
      requireJobHere(call, requireField('PushCollected', 'jobId', req.jobId));
      dispatcher.pushCollected(req.jobId, req.records, req.count);
      return {};
    }),
    TriggerSavepoint: handle(async (req) => ({ path: await dispatcher.savepoint(requireField('TriggerSavepoint', 'jobId', req.jobId), req.targetDir || undefined, req.stop) })),
    RescaleJob: handle(async (req) => ({ savepointPath: await dispatcher.rescale(requireField('RescaleJob', 'jobId', req.jobId), req.parallelism) })),
    AcknowledgeCheckpoint: handle((req, call) => {
      requireField('AcknowledgeCheckpoint', 'jobId', req.jobId);
      requireField('AcknowledgeCheckpoint', 'executionId', req.executionId);
      requireHost(call, req.jobId, req.executionId);
      dispatcher.acknowledgeCheckpoint(req.jobId, req.executionId, requireCount('AcknowledgeCheckpoint', 'checkpointId', req.checkpointId), req.states, req.sizeBytes, req.incrementalBytes);
      return {};
    }),
    DeclineCheckpoint: handle((req, call) => {
      requireField('DeclineCheckpoint', 'jobId', req.jobId);
      requireField('DeclineCheckpoint', 'executionId', req.executionId);
      requireHost(call, req.jobId, req.executionId);
      dispatcher.declineCheckpoint(req.jobId, req.executionId, requireCount('DeclineCheckpoint', 'checkpointId', req.checkpointId), req.reason);
      return {};
    }),
  };
}
