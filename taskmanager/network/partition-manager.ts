/**
 * The TaskManager-wide registry of result partitions. A consumer may subscribe before its producer
 * is deployed; the subscription then waits until the partition registers, or times out.
 */
import { deferred, type Deferred } from '../../common/async.ts';
import { notFound } from '../../common/errors.ts';
import type { ResultPartition } from './result-partition.ts';

/** The registry key of a result partition. */
export function partitionKey(jobId: string, producerExecutionId: string, edgeId: string): string {
  return `${jobId}/${producerExecutionId}/${edgeId}`;
}

/** Holds the result partitions of the tasks of one TaskManager. */
export class PartitionManager {
  private readonly partitions = new Map<string, ResultPartition>();
  private readonly waiting = new Map<string, Deferred<ResultPartition>[]>();

  constructor(private readonly subscribeTimeoutMs: number) {}

  /** Makes a partition available to consumers. */
  register(partition: ResultPartition): void {
    this.partitions.set(partition.key, partition);
    const waiters = this.waiting.get(partition.key);
    this.waiting.delete(partition.key);
    for (const w of waiters ?? []) w.resolve(partition);
  }

  /** Removes a partition. */
  unregister(key: string): void {
    this.partitions.delete(key);
  }

  /** Finds a partition, waiting for it to be registered. */
  async lookup(key: string, signal?: AbortSignal): Promise<ResultPartition> {
    const existing = this.partitions.get(key);
    if (existing) return existing;
    const waiter = deferred<ResultPartition>();
    const list = this.waiting.get(key) ?? [];
    list.push(waiter);
    this.waiting.set(key, list);
    const timer = setTimeout(() => waiter.reject(notFound(`result partition ${key} was not produced within ${this.subscribeTimeoutMs} ms`)), this.subscribeTimeoutMs);
    const onAbort = (): void => waiter.reject(signal?.reason ?? new Error('subscription aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await waiter.promise;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const rest = (this.waiting.get(key) ?? []).filter((w) => w !== waiter);
      if (rest.length > 0) this.waiting.set(key, rest);
      else this.waiting.delete(key);
    }
  }

  /** Rejects the subscriptions of a job that is going away. */
  releaseJob(jobId: string): void {
    for (const [key, list] of this.waiting) {
      if (!key.startsWith(`${jobId}/`)) continue;
      for (const w of list) w.reject(new Error(`job ${jobId} was released`));
      this.waiting.delete(key);
    }
    for (const key of this.partitions.keys()) if (key.startsWith(`${jobId}/`)) this.partitions.delete(key);
  }
}
