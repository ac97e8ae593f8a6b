/**
 * Who may call a TaskManager: deployments, cancellations and checkpoint triggers come only from
 * the JobManager, and data-plane subscriptions only from other TaskManagers, each proven by its
 * certificate. Clients with the cluster token have no business here.
 */
import type { CallerRule, MethodNames } from '../common/rpc/grpc-security.ts';
import type { TaskManagerServiceHandlers } from '../proto/generated/sluice/control/TaskManagerService.ts';
import type { DataExchangeHandlers } from '../proto/generated/sluice/data/DataExchange.ts';

const JOB_MANAGER: CallerRule = ['jobmanager'];

/** The rule of every TaskManagerService RPC. */
export const TASK_MANAGER_ACCESS: Readonly<Record<MethodNames<TaskManagerServiceHandlers>, CallerRule>> = {
  DeployTask: JOB_MANAGER,
  CancelTask: JOB_MANAGER,
  ReleaseJob: JOB_MANAGER,
  TriggerCheckpoint: JOB_MANAGER,
  NotifyCheckpoint: JOB_MANAGER,
  QueryState: JOB_MANAGER,
};

/** The rule of the data plane. */
export const DATA_EXCHANGE_ACCESS: Readonly<Record<MethodNames<DataExchangeHandlers>, CallerRule>> = {
  Subscribe: ['taskmanager'],
};
