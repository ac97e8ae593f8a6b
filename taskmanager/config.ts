/** TaskManager options, their defaults, and the resolved configuration. */
import type { SecurityConfig } from '../common/security/security-config.ts';
import type { ResultPartitionConfig } from './network/result-partition.ts';
import type { WriteBackCacheOptions } from './state/write-back-cache.ts';

/** Options a user may set (CLI flags or the embedding code). */
export interface TaskManagerOptions {
  /** JobManager gRPC address, `host:port`. */
  jobManagerAddress: string;
  slots?: number;
  dataDir?: string;
  /** Host to bind and to advertise to peers. */
  host?: string;
  /** gRPC port for control and data; 0 picks a free one. */
  port?: number;
  /** Prometheus port; 0 picks a free one, undefined disables. */
  metricsPort?: number;
  /** Flush timeout for partially filled batches. */
  bufferTimeoutMs?: number;
  /** Target encoded batch size. */
  batchBytes?: number;
  /** Batches each subpartition may queue. */
  maxQueuedBatches?: number;
  /** Credits each input channel grants. */
  initialCredit?: number;
  /** How long a consumer waits for its producer's partition. */
  partitionWaitMs?: number;
  /** Subscriptions from other TaskManagers that may wait at once for a partition not (yet) produced here. */
  maxPendingSubscriptions?: number;
  /** Entries each keyed operator subtask caches in front of LevelDB. */
  stateCacheEntries?: number;
  /** Bytes (of encoded values) each keyed operator subtask caches in front of LevelDB. */
  stateCacheBytes?: number;
  /** Credentials (see common/security); the certificate names the TaskManager's id. */
  security?: SecurityConfig;
}

/** The configuration a TaskManager runs with. */
export interface TaskManagerConfig {
  jobManagerAddress: string;
  slots: number;
  dataDir: string;
  host: string;
  port: number;
  metricsPort: number | undefined;
  partition: ResultPartitionConfig;
  initialCredit: number;
  partitionWaitMs: number;
  maxPendingSubscriptions: number;
  stateCache: WriteBackCacheOptions;
  security: SecurityConfig;
}

/** Applies defaults to options. */
export function resolveTaskManagerConfig(options: TaskManagerOptions): TaskManagerConfig {
  const slots = options.slots ?? 1;
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`--slots must be a positive integer, got ${slots}`);
  if (!options.security) throw new Error('a TaskManager needs credentials (its certificate, key and the cluster CA), or security: { mode: "insecure" } to run without');
  return {
    jobManagerAddress: options.jobManagerAddress,
    security: options.security,
    slots,
    dataDir: options.dataDir ?? '.data/taskmanager',
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    metricsPort: options.metricsPort,
    partition: {
      initialBatchRecords: 256,
      targetBatchBytes: options.batchBytes ?? 32 * 1024,
      maxQueuedBatches: options.maxQueuedBatches ?? 4,
      bufferTimeoutMs: options.bufferTimeoutMs ?? 10,
    },
    initialCredit: options.initialCredit ?? 4,
    partitionWaitMs: options.partitionWaitMs ?? 30_000,
    maxPendingSubscriptions: positiveInteger('--max-pending-subscriptions', options.maxPendingSubscriptions ?? 4_096),
    stateCache: { maxEntries: options.stateCacheEntries ?? 100_000, maxBytes: options.stateCacheBytes ?? 64 * 1024 * 1024 },
  };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}
