/**
 * Operator state the way a checkpoint carries it, for operator tests: each old subtask's
 * snapshot encoded as its TaskManager encodes it (taskmanager/checkpoint/operator-state-codec.ts),
 * through the binary `_metadata` message, redistributed by the JobManager
 * (jobmanager/checkpoint/state-assignment.ts) and decoded as a restored TaskManager decodes it.
 */
import type { CheckpointMetadata, OperatorSubtaskState } from '../../common/checkpoint/checkpoint-types.ts';
import { checkpointMetadataCodec } from '../../common/rpc/message-codec.ts';
import { assignOperatorState } from '../../jobmanager/checkpoint/state-assignment.ts';
import { decodeOperatorState, encodeOperatorState } from '../../taskmanager/checkpoint/operator-state-codec.ts';
import type { OperatorStateSnapshot, RestoredOperatorState } from '../../taskmanager/operators/stream-operator.ts';

/** What each of `parallelism` new subtasks restores from the snapshots of the old subtasks (one each). */
export function redistributeOperatorState(snapshots: readonly OperatorStateSnapshot[], parallelism: number, operatorId = 'op'): RestoredOperatorState[] {
  const subtasks: OperatorSubtaskState[] = snapshots.map((snapshot, subtask) => ({ operatorId, subtask, keyed: null, operatorState: encodeOperatorState(snapshot) }));
  const metadata: CheckpointMetadata = {
    jobId: 'job',
    checkpointId: 1,
    isSavepoint: false,
    triggeredAt: 0,
    completedAt: 0,
    sizeBytes: 0,
    incrementalBytes: 0,
    root: '..',
    operators: [{ operatorId, parallelism: snapshots.length, maxParallelism: 128, subtasks }],
  };
  const old = checkpointMetadataCodec.decode(checkpointMetadataCodec.encode(metadata)).operators[0]!;
  return Array.from({ length: parallelism }, (_, subtask) => decodeOperatorState(operatorId, assignOperatorState(old as CheckpointMetadata['operators'][number], parallelism, subtask)));
}
