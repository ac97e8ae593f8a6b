/** The state a deployment restores its operators from, as the JobManager assigned it. */
import type { OperatorRestoreState, TaskRestore } from '../../common/checkpoint/checkpoint-types.ts';
import type { TaskDeployment } from '../../common/rpc/index.ts';

/** The restore of a deployment, by operator id; undefined for a fresh start. */
export function restoreOf(deployment: TaskDeployment): Map<string, OperatorRestoreState> | undefined {
  if (!deployment.restoreJson) return undefined;
  const restore = JSON.parse(deployment.restoreJson) as TaskRestore;
  return new Map(restore.operators.map((op) => [op.operatorId, op]));
}
