/**
 * Who may call each method of `JobManagerService`: users (the cluster token or a client
 * certificate) drive jobs; only TaskManagers, proven by their certificates, report on them. The
 * handlers then check that a TaskManager speaks only for itself.
 */
import type { CallerRule, MethodNames } from '../../common/rpc/grpc-security.ts';
import type { JobManagerServiceHandlers } from '../../proto/generated/sluice/control/JobManagerService.ts';

const USERS: CallerRule = ['token', 'client'];
const TASK_MANAGERS: CallerRule = ['taskmanager'];

/** The rule of every JobManager RPC; a new RPC does not compile until it has one. */
export const JOB_MANAGER_ACCESS: Readonly<Record<MethodNames<JobManagerServiceHandlers>, CallerRule>> = {
  SubmitJob: USERS,
  CancelJob: USERS,
  ListJobs: USERS,
  GetJobStatus: USERS,
  Collect: USERS,
  TriggerSavepoint: USERS,
  RescaleJob: USERS,
  RegisterTaskManager: TASK_MANAGERS,
  Heartbeat: TASK_MANAGERS,
  UpdateTaskState: TASK_MANAGERS,
  GetBundle: TASK_MANAGERS,
  PushCollected: TASK_MANAGERS,
  AcknowledgeCheckpoint: TASK_MANAGERS,
  DeclineCheckpoint: TASK_MANAGERS,
};
