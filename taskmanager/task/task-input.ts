/**
 * What a task's input loop reads from (Flink's StreamTaskInput): a source reader (source-input.ts)
 * or the input gate of its network channels (gate-input.ts). An input pushes records straight
 * into the head of the operator chain; everything else it sees (the input's watermark, its
 * idleness, an aligned checkpoint barrier, an abandoned alignment) goes through the one in-band
 * event path, `InputEvents`, which the task implements once for both kinds of input.
 */
import type { CheckpointBarrier } from '../../common/rpc/index.ts';

/** What one `emitNext` left behind. */
export type InputStatus = 'MORE_AVAILABLE' | 'NOTHING_AVAILABLE' | 'END_OF_INPUT';

/** The in-band events of a task's input, in order with its records. */
export interface InputEvents {
  /** The input's event time advanced to `watermark`. */
  watermark(watermark: number): void;
  /**
   * Opens every output channel with the task's status, before any record: idle, or active (a
   * watermark at the minimum). Consumers wait for every channel's status (see watermark-valve.ts).
   */
  announce(idle: boolean): void;
  /** Whether the whole input is idle now (every split or channel that has not ended). */
  idleness(idle: boolean): void;
  /** Every record before `barrier` has been processed: checkpoint now. */
  barrier(barrier: CheckpointBarrier): Promise<void>;
  /** A newer barrier overtook the alignment of checkpoint `checkpointId`. */
  abandoned(checkpointId: number, reason: string): void;
}

/** One input of a task. */
export interface TaskInput {
  /** Connects the input, and to the task's event path; called once before the first `emitNext`. */
  start(events: InputEvents): void;
  /** Processes the next batch: its records into the chain, its events into the event path. */
  emitNext(): Promise<InputStatus>;
  /** Resolves when `emitNext` may find more (or `signal` aborts, when the task has mail). */
  whenAvailable(signal: AbortSignal): Promise<void>;
  /** Disconnects the input. */
  close(): void;
}
