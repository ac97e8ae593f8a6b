/**
 * The check of a task's checkpoint acknowledgement, before the coordinator counts it: the states
 * must be those of the task's own operators and subtask, keyed state within the key groups the
 * subtask owns, state files inside the storage root and from this checkpoint or an earlier one.
 * Anything else (a confused or hostile TaskManager) declines the checkpoint instead of landing in
 * `_metadata`, where it would break a later restore.
 */
import type { OperatorSubtaskState } from '../../common/checkpoint/checkpoint-types.ts';
import { subtaskStateProblem } from '../../common/checkpoint/checkpoint-validation.ts';
import { keyGroupRangeForOperator } from '../../common/key-groups.ts';
import type { OperatorSubtaskState__Output } from '../../proto/generated/sluice/checkpoint/OperatorSubtaskState.ts';

/** An operator of the acknowledging task's chain. */
export interface AcknowledgedOperator {
  readonly operatorId: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
}

/** What an acknowledgement is checked against. */
export interface ExpectedAcknowledgement {
  readonly checkpointId: number;
  /** The subtask index of the acknowledging task. */
  readonly subtask: number;
  /** The operators of its chain. */
  readonly operators: readonly AcknowledgedOperator[];
}

/** An acknowledgement as it arrived: the raw states and sizes. */
export interface ReceivedAcknowledgement {
  readonly states: readonly OperatorSubtaskState__Output[];
  readonly sizeBytes: number;
  readonly incrementalBytes: number;
}

/** The outcome of the check: the states, validated, or why the acknowledgement is refused. */
export type AcknowledgementCheck = { readonly ok: true; readonly states: OperatorSubtaskState[] } | { readonly ok: false; readonly problem: string };

/** Checks an acknowledgement; never throws, whatever the message holds. */
export function checkAcknowledgement(ack: ReceivedAcknowledgement, expected: ExpectedAcknowledgement): AcknowledgementCheck {
  const problem = problemOf(ack, expected);
  return problem === undefined ? { ok: true, states: ack.states as OperatorSubtaskState[] } : { ok: false, problem };
}

function problemOf(ack: ReceivedAcknowledgement, expected: ExpectedAcknowledgement): string | undefined {
  for (const [what, bytes] of [['size', ack.sizeBytes], ['incremental size', ack.incrementalBytes]] as const) {
    if (!Number.isSafeInteger(bytes) || bytes < 0) return `its ${what} ${bytes} is not a byte count`;
  }
  const seen = new Set<string>();
  for (const state of ack.states) {
    const operator = expected.operators.find((op) => op.operatorId === state.operatorId);
    if (operator === undefined) {
      return `it holds state of operator ${JSON.stringify(state.operatorId)}, which the task does not run (its operators: ${expected.operators.map((op) => op.operatorId).join(', ')})`;
    }
    if (seen.has(state.operatorId)) return `it holds the state of operator ${JSON.stringify(state.operatorId)} twice`;
    seen.add(state.operatorId);
    if (state.subtask !== expected.subtask) return `operator ${JSON.stringify(state.operatorId)}: it claims subtask ${state.subtask}, not the task's ${expected.subtask}`;
    const keyGroups = keyGroupRangeForOperator(operator.maxParallelism, operator.parallelism, expected.subtask);
    const problem = subtaskStateProblem(state, { keyGroups, checkpointId: expected.checkpointId });
    if (problem !== undefined) return `operator ${JSON.stringify(state.operatorId)}: ${problem}`;
  }
  return undefined;
}
