/**
 * The gRPC adapter of the JobManager: maps each RPC onto the dispatcher and the registry. Every
 * handler checks the fields it uses first: a missing or malformed field is INVALID_ARGUMENT
 * naming the method and the field (a request that does not decode at all is answered by
 * `unaryHandler`, see common/rpc/grpc-server.ts).
 */
import { invalidArgument, toServiceError } from '../../common/errors.ts';
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
export function createJobManagerHandlers(dispatcher: Dispatcher, registry: TaskManagerRegistry, collected: CollectStore, settings: ServiceSettings): JobManagerServiceHandlers {
  const handle = <Req, Res>(fn: (req: Req) => Promise<Res> | Res) => unaryHandler<Req, Res>(async (req) => fn(req), toServiceError);
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
    RegisterTaskManager: handle((req) => {
      registry.register({ id: req.taskmanagerId, address: req.address, slots: req.slots, metricsAddress: req.metricsAddress });
      return { jobmanagerId: settings.jobmanagerId, heartbeatIntervalMs: settings.heartbeatIntervalMs, heartbeatTimeoutMs: settings.heartbeatTimeoutMs };
    }),
    Heartbeat: handle((req) => {
      const known = registry.heartbeat(requireField('Heartbeat', 'taskmanagerId', req.taskmanagerId));
      if (known) dispatcher.onTaskMetrics(req.tasks);
      return { known };
    }),
    UpdateTaskState: handle((req) => {
      requireField('UpdateTaskState', 'jobId', req.jobId);
      requireField('UpdateTaskState', 'executionId', req.executionId);
      if (!EXECUTION_STATES.some((s) => s === req.state)) {
        throw invalidArgument(`UpdateTaskState: state must be one of ${EXECUTION_STATES.join(', ')}, got ${JSON.stringify(req.state.slice(0, 40))}`);
      }
      dispatcher.onTaskMetrics([req]);
      dispatcher.onTaskState(req.jobId, req.executionId, req.state, req.failure);
      return {};
    }),
    GetBundle: handle((req) => {
      const jobId = requireField('GetBundle', 'jobId', req.jobId);
      return { bundle: dispatcher.bundleOf(jobId), graph: dispatcher.job(jobId).jobGraph };
    }),
    PushCollected: handle((req) => {
      dispatcher.pushCollected(requireField('PushCollected', 'jobId', req.jobId), req.records, req.count);
      return {};
    }),
    TriggerSavepoint: handle(async (req) => ({ path: await dispatcher.savepoint(requireField('TriggerSavepoint', 'jobId', req.jobId), req.targetDir || undefined, req.stop) })),
    RescaleJob: handle(async (req) => ({ savepointPath: await dispatcher.rescale(requireField('RescaleJob', 'jobId', req.jobId), req.parallelism) })),
    AcknowledgeCheckpoint: handle((req) => {
      requireField('AcknowledgeCheckpoint', 'jobId', req.jobId);
      requireField('AcknowledgeCheckpoint', 'executionId', req.executionId);
      dispatcher.acknowledgeCheckpoint(req.jobId, req.executionId, requireCount('AcknowledgeCheckpoint', 'checkpointId', req.checkpointId), req.states, req.sizeBytes, req.incrementalBytes);
      return {};
    }),
    DeclineCheckpoint: handle((req) => {
      requireField('DeclineCheckpoint', 'jobId', req.jobId);
      requireField('DeclineCheckpoint', 'executionId', req.executionId);
      dispatcher.declineCheckpoint(req.jobId, req.executionId, requireCount('DeclineCheckpoint', 'checkpointId', req.checkpointId), req.reason);
      return {};
    }),
  };
}
