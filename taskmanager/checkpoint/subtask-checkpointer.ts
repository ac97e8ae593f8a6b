/**
 * Takes the checkpoints of one task (Flink's subtask checkpoint coordinator). At a barrier, or a
 * direct trigger, it forwards the barrier downstream, then runs the synchronous phase of every
 * operator's snapshot while no record is processed: operator state (sources' split positions,
 * sinks' pre-committed transactions, ...) and a LevelDB snapshot of keyed state. The keyed state
 * files are then written in the background while records flow again, and the task acknowledges
 * to the JobManager with handles to what it wrote. Operator state is encoded in the synchronous
 * phase (operator-state-codec.ts), so that what an operator keeps changing after the barrier (an
 * accumulator it folds into) is captured as it was at the barrier. A failure while writing
 * declines the checkpoint; a failure of the synchronous phase also fails the task. It also keeps
 * the final checkpoints of a finishing task, which ends once one of them completes.
 */
import { SAVEPOINT_STATE_DIR, SHARED_STATE_DIR } from '../../common/checkpoint/checkpoint-storage.ts';
import type { EncodedOperatorListState, KeyedStateHandle, OperatorSubtaskState } from '../../common/checkpoint/checkpoint-types.ts';
import { StorageRoots } from '../../common/checkpoint/storage-roots.ts';
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logging.ts';
import type { ResultPartition } from '../network/result-partition.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { CheckpointBarrier } from '../../common/rpc/index.ts';
import { encodeOperatorState } from './operator-state-codec.ts';

/** How a task answers the JobManager about checkpoints. */
export interface CheckpointResponder {
  acknowledge(checkpointId: number, states: OperatorSubtaskState[], sizeBytes: number, incrementalBytes: number): Promise<void>;
  decline(checkpointId: number, reason: string): Promise<void>;
}

/** One operator of a chain, as checkpoints see it. */
export interface CheckpointedOperator {
  readonly operatorId: string;
  readonly operator: StreamOperator;
  readonly backend: KeyedStateBackend | undefined;
}

/** The synchronous result of one operator's snapshot. */
interface SnapshotInProgress {
  readonly operatorId: string;
  readonly operatorState: Record<string, EncodedOperatorListState>;
  readonly upload: (() => Promise<KeyedStateHandle>) | undefined;
}

/** See the module comment. */
export class SubtaskCheckpointer {
  private lastCheckpointId = 0;
  /** End-of-input went out on every output: barriers can no longer follow it. */
  private outputsFinished = false;
  /** Final checkpoints taken (a finishing task's); the task may end once one of them completes. */
  private readonly finalCheckpoints = new Set<number>();
  private finalCommitted = false;

  constructor(
    private readonly operators: readonly CheckpointedOperator[],
    private readonly partitions: readonly ResultPartition[],
    private readonly subtask: number,
    /** The job's checkpoint directory. */
    private readonly checkpointRoot: string,
    /** Where the JobManager lets this job's savepoints go; see `savepointRefusal`. */
    savepointRoots: readonly string[],
    private readonly responder: CheckpointResponder,
    private readonly log: Logger,
  ) {
    this.savepointRoots = savepointRoots.length > 0 ? new StorageRoots(savepointRoots) : undefined;
  }

  private readonly savepointRoots: StorageRoots | undefined;

  /** Whether a final checkpoint this task took has completed: its sinks committed everything. */
  get finalCheckpointCommitted(): boolean {
    return this.finalCommitted;
  }

  /** The task sent end-of-input on every output: later checkpoints forward no barrier. */
  markOutputsFinished(): void {
    this.outputsFinished = true;
  }

  /**
   * Takes checkpoint `barrier.checkpointId` now, forwarding the barrier first while the task's
   * outputs are open. Resolves after the synchronous phase; the rest runs in the background. A
   * checkpoint taken already (a direct trigger racing a barrier) is not taken again.
   */
  async checkpoint(barrier: CheckpointBarrier): Promise<void> {
    await this.snapshot(barrier);
    if (barrier.final) this.finalCheckpoints.add(barrier.checkpointId);
  }

  private async snapshot(barrier: CheckpointBarrier): Promise<void> {
    const checkpointId = barrier.checkpointId;
    if (checkpointId <= this.lastCheckpointId) return;
    this.lastCheckpointId = checkpointId;
    const isSavepoint = barrier.savepointRoot !== '';
    if (isSavepoint) {
      const refusal = await this.savepointRefusal(barrier.savepointRoot);
      if (refusal !== undefined) return this.decline(checkpointId, refusal);
    }
    if (!this.outputsFinished) {
      const event = { type: 'event', kind: 'BARRIER', barrier: { ...barrier, final: false } } as const;
      for (const p of this.partitions) p.broadcastEvent(event);
    }
    const root = isSavepoint ? barrier.savepointRoot : this.checkpointRoot;
    const dir = isSavepoint ? SAVEPOINT_STATE_DIR : SHARED_STATE_DIR;
    const snapshots: SnapshotInProgress[] = [];
    try {
      for (const { operatorId, operator, backend } of this.operators) {
        const operatorState = operator.snapshotState ? encodeOperatorState(await operator.snapshotState(checkpointId)) : {};
        const upload = backend ? await backend.snapshot({ checkpointId, root, dir, full: barrier.full || isSavepoint, savepoint: isSavepoint }) : undefined;
        snapshots.push({ operatorId, operatorState, upload });
      }
    } catch (error) {
      // The snapshots taken so far hold LevelDB snapshots and change sets; the task fails and
      // its restart starts from the last completed checkpoint with fresh state.
      this.decline(checkpointId, `snapshot failed: ${errorMessage(error)}`);
      throw new Error(`checkpoint ${checkpointId}: snapshot failed: ${errorMessage(error)}`, { cause: error });
    }
    void this.complete(checkpointId, snapshots);
  }

  /** Writes the keyed state files and acknowledges. */
  private async complete(checkpointId: number, snapshots: readonly SnapshotInProgress[]): Promise<void> {
    let states: OperatorSubtaskState[];
    let sizeBytes = 0;
    let incrementalBytes = 0;
    try {
      states = [];
      for (const s of snapshots) {
        const keyed = s.upload ? await s.upload() : undefined;
        for (const file of keyed?.files ?? []) {
          sizeBytes += file.bytes;
          if (file.checkpointId === checkpointId) incrementalBytes += file.bytes;
        }
        states.push({ operatorId: s.operatorId, subtask: this.subtask, keyed: keyed ?? null, operatorState: s.operatorState });
      }
    } catch (error) {
      this.decline(checkpointId, `writing state failed: ${errorMessage(error)}`);
      return;
    }
    await this.responder.acknowledge(checkpointId, states, sizeBytes, incrementalBytes).catch((error: unknown) => {
      this.log.warn({ checkpoint: checkpointId, err: errorMessage(error) }, 'acknowledging a checkpoint failed');
    });
  }

  /** Tells the JobManager this task cannot complete a checkpoint. */
  /**
   * Why a barrier's savepoint directory is refused, if it is: barriers reach a task from its
   * producers, so a directory is taken only inside the roots the JobManager deployed the task with
   * (after `..` and symlinks are resolved), never one a peer made up. The checkpoint is declined
   * and the barrier goes no further.
   */
  private async savepointRefusal(directory: string): Promise<string | undefined> {
    if (!this.savepointRoots) return `the savepoint directory ${directory} is refused: this task was deployed with no savepoint roots`;
    try {
      await this.savepointRoots.confine(directory, 'the savepoint directory of the barrier');
      return undefined;
    } catch (error) {
      return errorMessage(error);
    }
  }

  decline(checkpointId: number, reason: string): void {
    this.log.warn({ checkpoint: checkpointId, reason }, 'declining checkpoint');
    for (const { backend } of this.operators) backend?.notifyCheckpointAborted(checkpointId);
    this.responder.decline(checkpointId, reason).catch((error: unknown) => {
      this.log.warn({ checkpoint: checkpointId, err: errorMessage(error) }, 'declining a checkpoint failed');
    });
  }

  /** A checkpoint completed (operators commit) or was aborted (keyed state forgets its files). */
  async notify(checkpointId: number, completed: boolean): Promise<void> {
    if (!completed) {
      for (const { backend } of this.operators) backend?.notifyCheckpointAborted(checkpointId);
      return;
    }
    for (const { operator } of this.operators) await operator.notifyCheckpointComplete?.(checkpointId);
    for (const id of this.finalCheckpoints) if (id <= checkpointId) this.finalCommitted = true;
  }
}
