/**
 * The TaskManager-wide registry of result partitions. A consumer may subscribe before its producer
 * is deployed; the subscription then waits until the partition registers, or times out. Remote
 * subscriptions that wait are bounded: past the limit, one more is refused RESOURCE_EXHAUSTED, so
 * that subscriptions to partitions never produced here cannot pile up.
 */
import { deferred, type Deferred } from '../../common/async.ts';
import { notFound, resourceExhausted } from '../../common/errors.ts';
import type { ResultPartition } from './result-partition.ts';

/** The registry key of a result partition. */
export function partitionKey(jobId: string, producerExecutionId: string, edgeId: string): string {
  return `${jobId}/${producerExecutionId}/${edgeId}`;
}

/** Limits of the subscriptions that wait for a partition. */
export interface PartitionWaitLimits {
  /** How long a subscription waits for its partition. */
  readonly subscribeTimeoutMs: number;
  /** How many remote subscriptions may wait at once (`maxPendingSubscriptions`). */
  readonly maxPendingSubscriptions: number;
}

/** Holds the result partitions of the tasks of one TaskManager. */
export class PartitionManager {
  private readonly partitions = new Map<string, ResultPartition>();
  private readonly waiting = new Map<string, Deferred<ResultPartition>[]>();
  private pendingRemote = 0;

  constructor(private readonly limits: PartitionWaitLimits) {}

  /** Remote subscriptions waiting for their partition now. */
  get pendingSubscriptions(): number {
    return this.pendingRemote;
  }

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

  /** Finds a partition for a local channel, waiting for it to be registered (bounded by the tasks deployed here). */
  lookup(key: string, signal?: AbortSignal): Promise<ResultPartition> {
    const existing = this.partitions.get(key);
    return existing ? Promise.resolve(existing) : this.wait(key, signal);
  }

  /**
   * Finds a partition for a remote subscriber, waiting for it to be registered; refused
   * RESOURCE_EXHAUSTED while `maxPendingSubscriptions` remote subscriptions already wait.
   */
  async subscribe(key: string, signal?: AbortSignal): Promise<ResultPartition> {
    const existing = this.partitions.get(key);
    if (existing) return existing;
    const limit = this.limits.maxPendingSubscriptions;
    if (this.pendingRemote >= limit) {
      throw resourceExhausted(`${limit} subscriptions already wait for partitions not produced on this TaskManager (the limit --max-pending-subscriptions); refusing the one to ${key}`);
    }
    this.pendingRemote++;
    try {
      return await this.wait(key, signal);
    } finally {
      this.pendingRemote--;
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

  private async wait(key: string, signal: AbortSignal | undefined): Promise<ResultPartition> {
    const timeoutMs = this.limits.subscribeTimeoutMs;
    const waiter = deferred<ResultPartition>();
    const list = this.waiting.get(key) ?? [];
    list.push(waiter);
    this.waiting.set(key, list);
    const timer = setTimeout(() => waiter.reject(notFound(`result partition ${key} was not produced within ${timeoutMs} ms`)), timeoutMs);
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
}
