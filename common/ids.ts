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

/** The id of one execution: vertex, subtask and attempt. */
export function executionId(vertexId: string, subtask: number, attempt: number): string {
  return `${vertexId}_${subtask}_${attempt}`;
}
