/**
 * The deterministic name of a change stream's replication slot (and of its publication).
 */
import { createHash } from 'node:crypto';

/**
 * `sluice_<24 hex digits>`, from the job and the operator: one slot per source, the same for every
 * attempt of the job, and a valid slot name (lower-case, at most 63 characters) whatever the ids.
 */
export function slotName(jobId: string, operatorId: string): string {
  return `sluice_${createHash('sha256').update(`${jobId}/${operatorId}`).digest('hex').slice(0, 24)}`;
}
