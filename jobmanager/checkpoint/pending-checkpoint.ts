/** A checkpoint that was triggered and is waiting for the acknowledgements of its tasks. */
import { deferred, type Deferred } from '../../common/async.ts';
import type { OperatorSubtaskState } from '../../common/checkpoint/checkpoint-types.ts';

/** The result of a completed checkpoint or savepoint. */
export interface CompletedCheckpoint {
  readonly checkpointId: number;
  readonly isSavepoint: boolean;
  /** The directory holding `_metadata`. */
  readonly directory: string;
  /** The `_metadata` file. */
  readonly metadataFile: string;
  readonly triggeredAt: number;
  readonly completedAt: number;
  readonly sizeBytes: number;
  readonly incrementalBytes: number;
  /** Relative paths (to the storage root) of the state files it references. */
  readonly files: ReadonlySet<string>;
}

/** See the module comment. */
export class PendingCheckpoint {
  /** Executions that have not acknowledged yet. */
  readonly notYetAcked: Set<string>;
  /** Executions the trigger was sent to (sources, and tasks that finished their input). */
  readonly triggered = new Set<string>();
  readonly states: OperatorSubtaskState[] = [];
  sizeBytes = 0;
  incrementalBytes = 0;
  timer: NodeJS.Timeout | undefined;
  readonly result: Deferred<CompletedCheckpoint> = deferred<CompletedCheckpoint>();

  constructor(
    readonly checkpointId: number,
    /** The attempt of the job that takes it: its tasks acknowledge it, and only they commit when it completes. */
    readonly attempt: number,
    readonly triggeredAt: number,
    readonly isSavepoint: boolean,
    /** Every task has finished its input: tasks end once this one completes. */
    readonly final: boolean,
    readonly full: boolean,
    /** Absolute storage root of the state files. */
    readonly root: string,
    /** Where `_metadata` goes. */
    readonly directory: string,
    executions: readonly string[],
  ) {
    this.notYetAcked = new Set(executions);
    // A savepoint's failure reaches its requester; nobody may be waiting for a periodic one.
    this.result.promise.catch(() => undefined);
  }

  /** Records one task's acknowledgement; returns whether every task has acknowledged. */
  acknowledge(executionId: string, states: readonly OperatorSubtaskState[], sizeBytes: number, incrementalBytes: number): boolean {
    if (!this.notYetAcked.delete(executionId)) return this.notYetAcked.size === 0;
    this.states.push(...states);
    this.sizeBytes += sizeBytes;
    this.incrementalBytes += incrementalBytes;
    return this.notYetAcked.size === 0;
  }
}
