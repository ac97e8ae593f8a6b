/**
 * JobManager high availability: keeps every accepted job (graph, bundle, settings) and the
 * pointer to its latest completed checkpoint in the `JobStore`, and on start resumes every job
 * that had not ended, under its old id, from its latest checkpoint. TaskManagers re-register with
 * the new JobManager on their own; resumed jobs wait for their slots.
 *
 * The store keeps a job's graph as the proto encoding of its `JobGraph` message. A record of an
 * earlier Sluice that kept it as JSON is refused with an error that says so: that job fails
 * instead of resuming, and can be submitted again (from its latest checkpoint with `-s`).
 */
import { latestCheckpointIn } from '../../common/checkpoint/checkpoint-storage.ts';
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logging.ts';
import type { JobGraph } from '../../common/rpc/index.ts';
import { jobGraphCodec } from '../../common/rpc/message-codec.ts';
import { jobCheckpointRoot } from '../../common/checkpoint/checkpoint-storage.ts';
import type { Dispatcher, DispatcherListener, SubmitOptions } from '../dispatcher.ts';
import type { JobStore } from './job-store.ts';

/** Attempt numbers reserved for each JobManager life of a job. */
const ATTEMPTS_PER_LIFE = 1000;

/** The first byte of a graph stored as JSON (a proto-encoded JobGraph starts with a field tag of 1 to 4). */
const JSON_OBJECT_START = 0x7b;

/** The settings of a job as the store keeps them (JSON). */
interface StoredSettings {
  readonly checkpoint?: SubmitOptions['checkpoint'];
  readonly restartStrategy?: string;
  /** The savepoint the job was first started from, if any. */
  readonly restorePath?: string;
}

/** Dispatcher hooks that write through to the store. */
export function storeListener(store: JobStore, log: Logger): DispatcherListener {
  const warn = (jobId: string, what: string) => (error: unknown) => log.error({ job: jobId, err: errorMessage(error) }, `HA store: ${what} failed`);
  return {
    onJobSubmitted(master, options, bundle) {
      const config: StoredSettings = { checkpoint: options.checkpoint, restartStrategy: options.restartStrategy, restorePath: options.restore?.metadataFile };
      store
        .putJob({ jobId: master.jobId, graph: jobGraphCodec.encode(master.jobGraph), bundle, submittedAt: master.startTime, config: { ...config } })
        .catch(warn(master.jobId, 'storing the job'));
    },
    async onCheckpointCompleted(master, checkpoint) {
      await store.setLatestCheckpoint(master.jobId, { checkpointId: checkpoint.checkpointId, metadataPath: checkpoint.metadataFile });
    },
    onJobTerminal(master) {
      store.setJobState(master.jobId, master.state).catch(warn(master.jobId, 'recording the final state'));
    },
  };
}

/** Resumes every job the store holds that had not ended; returns their ids. */
export async function resumeStoredJobs(store: JobStore, dispatcher: Dispatcher, checkpointDir: string, log: Logger): Promise<string[]> {
  const resumed: string[] = [];
  for (const summary of await store.listJobs()) {
    const job = await store.getJob(summary.jobId);
    if (!job) continue;
    try {
      const settings = job.config as StoredSettings;
      const graph = storedGraph(job.jobId, job.graph);
      // The newest of the pointer (which may name a savepoint) and the newest `_metadata` in the
      // job's checkpoint directory (written before the pointer, so possibly newer).
      const onDisk = await latestCheckpointIn(jobCheckpointRoot(checkpointDir, job.jobId));
      const pointer = job.latestCheckpoint;
      const newest = onDisk && (!pointer || onDisk.metadata.checkpointId > pointer.checkpointId) ? onDisk.metadataFile : pointer?.metadataPath;
      const path = newest ?? settings.restorePath;
      const restore = path ? await dispatcher.loadRestore(path) : undefined;
      const lastId = Math.max(job.latestCheckpoint?.checkpointId ?? 0, restore?.metadata.checkpointId ?? 0);
      // Executions of this life get attempts from life × 1000 up, so that late reports of the
      // previous life's executions (which TaskManagers cancel as they re-register) never match.
      const life = await store.nextLife(job.jobId);
      dispatcher.resume(job.jobId, graph, Buffer.from(job.bundle), { checkpoint: settings.checkpoint, restartStrategy: settings.restartStrategy, restore }, lastId, life * ATTEMPTS_PER_LIFE);
      log.info({ job: job.jobId, checkpoint: restore?.metadata.checkpointId }, 'job resumed after a JobManager restart');
      resumed.push(job.jobId);
    } catch (error) {
      log.error({ job: job.jobId, err: errorMessage(error) }, 'could not resume a job after a JobManager restart');
      await store.setJobState(job.jobId, 'FAILED').catch(() => undefined);
    }
  }
  return resumed;
}

/** Decodes a stored job graph; throws an error naming the job for a JSON record or corrupt bytes. */
export function storedGraph(jobId: string, bytes: Uint8Array): JobGraph {
  if (bytes[0] === JSON_OBJECT_START) {
    throw new Error(`the HA store holds the graph of job ${jobId} as JSON, the format of an earlier Sluice; submit the job again`);
  }
  try {
    return jobGraphCodec.decode(bytes);
  } catch (error) {
    throw new Error(`the HA store holds a corrupt graph for job ${jobId}: ${errorMessage(error)}`, { cause: error });
  }
}
