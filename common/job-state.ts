/**
 * Lifecycles of jobs and executions, as typed unions with their allowed transitions.
 *
 * Job:
 *   CREATED -> RUNNING | FAILED | CANCELED
 *   RUNNING -> FINISHED | FAILING | CANCELLING | RESTARTING (a rescale)
 *   FAILING -> FAILED | RESTARTING
 *   RESTARTING -> RUNNING | FAILED | CANCELLING
 *   CANCELLING -> CANCELED | FINISHED (stopped with a savepoint)
 *   FINISHED, FAILED, CANCELED are terminal.
 */

/** The state of a job. */
export type JobState = 'CREATED' | 'RUNNING' | 'FAILING' | 'RESTARTING' | 'CANCELLING' | 'CANCELED' | 'FINISHED' | 'FAILED';

const JOB_TRANSITIONS: Record<JobState, readonly JobState[]> = {
  CREATED: ['RUNNING', 'FAILED', 'CANCELLING', 'CANCELED'],
  RUNNING: ['FINISHED', 'FAILING', 'CANCELLING', 'RESTARTING'],
  FAILING: ['FAILED', 'RESTARTING'],
  RESTARTING: ['RUNNING', 'FAILED', 'CANCELLING'],
  CANCELLING: ['CANCELED', 'FINISHED'],
  CANCELED: [],
  FINISHED: [],
  FAILED: [],
};

/** Whether a job in `from` may move to `to`. */
export function canTransitionJob(from: JobState, to: JobState): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}

/** Whether a job state is final. */
export function isTerminalJobState(state: JobState): boolean {
  return state === 'FINISHED' || state === 'FAILED' || state === 'CANCELED';
}

/**
 * The state of one execution (a subtask attempt).
 *
 *   CREATED -> SCHEDULED -> DEPLOYING -> INITIALIZING -> RUNNING -> FINISHED
 *   RUNNING -> FINISHING -> FINISHED when the job takes checkpoints: a task that has processed all
 *   of its input waits in FINISHING for the final checkpoint, so that its sinks commit
 *   any non-terminal -> CANCELING -> CANCELED; any non-terminal -> FAILED
 */
export type ExecutionState =
  | 'CREATED'
  | 'SCHEDULED'
  | 'DEPLOYING'
  | 'INITIALIZING'
  | 'RUNNING'
  | 'FINISHING'
  | 'FINISHED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED';

/** All execution states, for parsing states reported over the wire. */
export const EXECUTION_STATES: readonly ExecutionState[] = [
  'CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED',
];

/** Whether an execution state is final. */
export function isTerminalExecutionState(state: ExecutionState): boolean {
  return state === 'FINISHED' || state === 'CANCELED' || state === 'FAILED';
}

/** Parses an execution state from the wire, rejecting unknown names. */
export function parseExecutionState(value: string): ExecutionState {
  const state = EXECUTION_STATES.find((s) => s === value);
  if (!state) throw new Error(`unknown execution state ${JSON.stringify(value)}`);
  return state;
}
