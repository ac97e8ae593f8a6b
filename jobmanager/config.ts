/** JobManager options, their defaults, and the resolved configuration. */
import { join } from 'node:path';
import type { SecurityConfig } from '../common/security/security-config.ts';
import { UPPER_BOUND_MAX_PARALLELISM } from '../common/key-groups.ts';

/** Options a user may set (CLI flags or the embedding code). */
export interface JobManagerOptions {
  host?: string;
  /** gRPC port; 0 picks a free one. */
  port?: number;
  /** REST and metrics port; 0 picks a free one, undefined disables. */
  restPort?: number;
  dataDir?: string;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** How long a job waits for enough free slots before it fails. */
  slotRequestTimeoutMs?: number;
  /** Largest accepted job bundle; default 64 MiB. */
  maxBundleBytes?: number;
  /**
   * Largest gRPC request the JobManager reads (a submit carries the bundle and the graph); a
   * larger one is refused with RESOURCE_EXHAUSTED before it is decoded. Default 256 MiB; it must
   * exceed `maxBundleBytes`.
   */
  maxRequestBytes?: number;
  /** Records a collect sink may hold per job before the job fails. */
  maxCollectedRecords?: number;
  /** Checkpoint storage (local or shared); default `<dataDir>/checkpoints`. */
  checkpointDir?: string;
  /** Default savepoint directory; default `<checkpointDir>/savepoints`. */
  savepointDir?: string;
  /**
   * Directories a savepoint request or a restore may name (after `..` and symlinks are resolved);
   * default the savepoint directory and the checkpoint directory.
   */
  savepointRoots?: readonly string[];
  /** Credentials (see common/security); there is no default, so that insecure is a choice. */
  security?: SecurityConfig;
  /** Most slots one TaskManager may offer; a registration above it is refused. Default 256. */
  maxSlotsPerTaskManager?: number;
  /** Most vertices (chained tasks) a submitted job graph may have. Default 1000. */
  maxVerticesPerJob?: number;
  /** Highest max parallelism (and so parallelism) a vertex may have. Default and upper bound 32768. */
  maxParallelism?: number;
  /** Most jobs that may be running (not yet FINISHED, FAILED or CANCELED) at once. Default 100. */
  maxRunningJobs?: number;
  /** Most ended jobs the JobManager remembers for status; the oldest are forgotten first. Default 100. */
  maxRetainedJobs?: number;
}

/** The configuration a JobManager runs with. */
export interface JobManagerConfig {
  host: string;
  port: number;
  restPort: number | undefined;
  dataDir: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  slotRequestTimeoutMs: number;
  maxBundleBytes: number;
  maxRequestBytes: number;
  maxCollectedRecords: number;
  checkpointDir: string;
  savepointDir: string | undefined;
  savepointRoots: readonly string[];
  security: SecurityConfig;
  maxSlotsPerTaskManager: number;
  maxVerticesPerJob: number;
  maxParallelism: number;
  maxRunningJobs: number;
  maxRetainedJobs: number;
}

function missingSecurity(): never {
  throw new Error('a JobManager needs credentials (mutual TLS and a cluster token), or security: { mode: "insecure" } to run without');
}

/** The defaults of the JobManager's limits. */
export const DEFAULT_LIMITS = {
  maxSlotsPerTaskManager: 256,
  maxVerticesPerJob: 1000,
  maxParallelism: UPPER_BOUND_MAX_PARALLELISM,
  maxRunningJobs: 100,
  maxRetainedJobs: 100,
} as const;

/** Applies defaults to options; throws for an option out of range. */
export function resolveJobManagerConfig(options: JobManagerOptions = {}): JobManagerConfig {
  const config: Omit<JobManagerConfig, 'security'> = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 6123,
    restPort: options.restPort,
    dataDir: options.dataDir ?? '.data/jobmanager',
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
    slotRequestTimeoutMs: options.slotRequestTimeoutMs ?? 30_000,
    maxBundleBytes: options.maxBundleBytes ?? 64 * 1024 * 1024,
    maxRequestBytes: options.maxRequestBytes ?? 256 * 1024 * 1024,
    maxCollectedRecords: options.maxCollectedRecords ?? 1_000_000,
    checkpointDir: '',
    savepointDir: options.savepointDir,
    savepointRoots: [],
    maxSlotsPerTaskManager: options.maxSlotsPerTaskManager ?? DEFAULT_LIMITS.maxSlotsPerTaskManager,
    maxVerticesPerJob: options.maxVerticesPerJob ?? DEFAULT_LIMITS.maxVerticesPerJob,
    maxParallelism: options.maxParallelism ?? DEFAULT_LIMITS.maxParallelism,
    maxRunningJobs: options.maxRunningJobs ?? DEFAULT_LIMITS.maxRunningJobs,
    maxRetainedJobs: options.maxRetainedJobs ?? DEFAULT_LIMITS.maxRetainedJobs,
  };
  config.checkpointDir = options.checkpointDir ?? join(config.dataDir, 'checkpoints');
  config.savepointRoots = options.savepointRoots?.length ? options.savepointRoots : [config.savepointDir ?? join(config.checkpointDir, 'savepoints'), config.checkpointDir];
  if (config.heartbeatTimeoutMs <= config.heartbeatIntervalMs) {
    throw new Error(`heartbeat timeout (${config.heartbeatTimeoutMs} ms) must exceed the heartbeat interval (${config.heartbeatIntervalMs} ms)`);
  }
  const positive = ['maxBundleBytes', 'maxRequestBytes', 'maxSlotsPerTaskManager', 'maxVerticesPerJob', 'maxParallelism', 'maxRunningJobs'] as const;
  for (const name of positive) {
    if (!Number.isSafeInteger(config[name]) || config[name] < 1) throw new Error(`${name} must be a positive integer, got ${config[name]}`);
  }
  if (!Number.isSafeInteger(config.maxRetainedJobs) || config.maxRetainedJobs < 0) {
    throw new Error(`maxRetainedJobs must be a non-negative integer, got ${config.maxRetainedJobs}`);
  }
  if (config.maxRequestBytes <= config.maxBundleBytes) {
    throw new Error(`maxRequestBytes (${config.maxRequestBytes}) must exceed maxBundleBytes (${config.maxBundleBytes}): a submit carries the bundle and the graph`);
  }
  if (config.maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new Error(`maxParallelism must be at most ${UPPER_BOUND_MAX_PARALLELISM}, got ${config.maxParallelism}`);
  }
  return { ...config, security: options.security ?? missingSecurity() };
}
