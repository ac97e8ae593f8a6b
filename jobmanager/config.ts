/** JobManager options, their defaults, and the resolved configuration. */
import { join } from 'node:path';
import type { SecurityConfig } from '../common/security/security-config.ts';

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
  /** Largest accepted job bundle. */
  maxBundleBytes?: number;
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
  maxCollectedRecords: number;
  checkpointDir: string;
  savepointDir: string | undefined;
  savepointRoots: readonly string[];
  security: SecurityConfig;
}

function missingSecurity(): never {
  throw new Error('a JobManager needs credentials (mutual TLS and a cluster token), or security: { mode: "insecure" } to run without');
}

/** Applies defaults to options. */
export function resolveJobManagerConfig(options: JobManagerOptions = {}): JobManagerConfig {
  const config: JobManagerConfig = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 6123,
    restPort: options.restPort,
    dataDir: options.dataDir ?? '.data/jobmanager',
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
    slotRequestTimeoutMs: options.slotRequestTimeoutMs ?? 30_000,
    maxBundleBytes: options.maxBundleBytes ?? 64 * 1024 * 1024,
    maxCollectedRecords: options.maxCollectedRecords ?? 1_000_000,
    checkpointDir: '',
    savepointDir: options.savepointDir,
    savepointRoots: [],
    security: options.security ?? missingSecurity(),
  };
  config.checkpointDir = options.checkpointDir ?? join(config.dataDir, 'checkpoints');
  config.savepointRoots = options.savepointRoots?.length ? options.savepointRoots : [config.savepointDir ?? join(config.checkpointDir, 'savepoints'), config.checkpointDir];
  if (config.heartbeatTimeoutMs <= config.heartbeatIntervalMs) {
    throw new Error(`heartbeat timeout (${config.heartbeatTimeoutMs} ms) must exceed the heartbeat interval (${config.heartbeatIntervalMs} ms)`);
  }
  return config;
}
