/**
 * Drops the replication slots of a job when the job ends, on the TaskManager that ran its change
 * streams: a slot left behind would keep the server's WAL forever.
 */
import { createLogger } from '../../common/logging.ts';
import { errorMessage } from '../../common/errors.ts';
import type { CdcUri } from './cdc-uri.ts';
import { dropSlotAndPublication } from './slot-setup.ts';

const log = createLogger('postgres-cdc');

/** The slots each job's change streams use on this TaskManager, by job id and slot name. */
const slotsByJob = new Map<string, Map<string, CdcUri>>();

/** Remembers that job `jobId` reads slot `slot` of the server of `uri`, to drop it when the job ends. */
export function registerJobSlot(jobId: string, slot: string, uri: CdcUri): void {
  let slots = slotsByJob.get(jobId);
  if (slots === undefined) slotsByJob.set(jobId, (slots = new Map()));
  slots.set(slot, uri);
}

/**
 * Job `jobId` ended (finished, cancelled or failed): drops its slots and their publications.
 * A slot that cannot be dropped is logged as a warning, naming it, and the job is released anyway.
 */
export async function dropJobSlots(jobId: string): Promise<void> {
  const slots = slotsByJob.get(jobId);
  if (slots === undefined) return;
  slotsByJob.delete(jobId);
  await Promise.all(
    [...slots].map(async ([slot, uri]) => {
      try {
        await dropSlotAndPublication(uri, slot);
        log.info({ job: jobId, slot }, 'replication slot dropped');
      } catch (error) {
        log.warn({ job: jobId, slot, err: errorMessage(error) }, 'could not drop the replication slot');
      }
    }),
  );
}
