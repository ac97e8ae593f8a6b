/** Identifiers of jobs, executions and processes. */
import { randomBytes } from 'node:crypto';

/** A new job id: 32 lowercase hex characters, like Flink's JobID. */
export function newJobId(): string {
  return randomBytes(16).toString('hex');
}

/** Whether a string has the shape of a job id. */
export function isJobId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

/** A new random id for a TaskManager or JobManager process. */
export function newProcessId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** The id of one execution: vertex, subtask and attempt. */
export function executionId(vertexId: string, subtask: number, attempt: number): string {
  return `${vertexId}_${subtask}_${attempt}`;
}
