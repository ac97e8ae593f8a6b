/**
 * The state a deployment restores its operators from, as the JobManager assigned it: checked,
 * then decoded into what operators get back (operator-state entries as the values they
 * snapshotted, keyed handles with the storage root their paths are relative to).
 */
import type { OperatorRestoreState, TaskRestore } from '../../common/checkpoint/checkpoint-types.ts';
import { taskRestoreProblem } from '../../common/checkpoint/checkpoint-validation.ts';
import type { TaskDeployment } from '../../common/rpc/index.ts';
import { decodeOperatorState } from '../checkpoint/operator-state-codec.ts';

/**
 * The restore of a deployment, by operator id; undefined for a fresh start. Throws an error
 * naming the task when the restore is invalid or an entry cannot be decoded.
 */
export function restoreOf(deployment: TaskDeployment): Map<string, OperatorRestoreState> | undefined {
  if (deployment.restore === null) return undefined;
  const problem = taskRestoreProblem(deployment.restore, deployment.maxParallelism);
  if (problem !== undefined) throw new Error(`the restore of task ${deployment.executionId} is invalid: ${problem}`);
  const restore = deployment.restore as TaskRestore;
  return new Map(
    restore.operators.map((op) => [
      op.operatorId,
      {
        operatorId: op.operatorId,
        keyed: op.keyed.map((handle) => ({ root: restore.root, handle })),
        operatorState: decodeOperatorState(op.operatorId, op.operatorState),
      },
    ]),
  );
}
