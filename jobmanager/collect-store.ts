/** Holds what `collect:` sinks pushed, per job, until a client reads it; bounded per job. */
import { resourceExhausted } from '../common/errors.ts';

interface Batch {
  readonly bytes: Buffer;
  readonly count: number;
}

/** Encoded batches per job and sink. */
export class CollectStore {
  private readonly jobs = new Map<string, { batches: Batch[]; records: number }>();

  constructor(private readonly maxRecordsPerJob: number) {}

  /** Appends a batch; throws RESOURCE_EXHAUSTED past the limit. */
  push(jobId: string, bytes: Buffer, count: number): void {
    const job = this.jobs.get(jobId) ?? { batches: [], records: 0 };
    if (job.records + count > this.maxRecordsPerJob) {
      throw resourceExhausted(`collect sink of job ${jobId} exceeds ${this.maxRecordsPerJob} records; write large outputs to a file sink`);
    }
    job.batches.push({ bytes, count });
    job.records += count;
    this.jobs.set(jobId, job);
  }

  /** The batch at an offset, if any. */
  read(jobId: string, offset: number): Batch | undefined {
    return this.jobs.get(jobId)?.batches[offset];
  }

  /** Drops a job's batches. */
  drop(jobId: string): void {
    this.jobs.delete(jobId);
  }
}
