/** Identifiers of jobs, executions and processes. */
import { randomBytes } from 'node:crypto';

/** A new job id: 32 lowercase hex characters, like Flink's JobID. */
export function newJobId(): string {
  return randomBytes(16).toString('hex');
}

/** A new random id for a TaskManager or JobManager process. */
export function newProcessId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/**
 * The id of one execution: job, vertex, subtask and attempt. The job id keeps two runs of the
 * same graph (same vertex ids) apart on a TaskManager, which keys its tasks by this id. Nothing
 * parses it: the parts travel as fields of their own.
 */
export function executionId(jobId: string, vertexId: string, subtask: number, attempt: number): string {
  return `${jobId}_${vertexId}_${subtask}_${attempt}`;
}
