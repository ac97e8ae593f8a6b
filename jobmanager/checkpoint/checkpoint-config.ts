/** The checkpoint settings of one job: what the submitter asked for, over the JobManager's defaults. */
import { join } from 'node:path';
import { jobCheckpointRoot } from '../../common/checkpoint/checkpoint-storage.ts';

/** What a job asks for (zero or absent values mean the default, except `tolerableFailures`, where 0 is a choice). */
export interface CheckpointOptions {
  /** Periodic checkpoint interval; 0 or absent: no checkpoints. */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly minPauseMs?: number;
  /** Checkpoints that may fail in a row; absent: 3; 0: the first failure fails the job. */
  readonly tolerableFailures?: number;
  readonly retained?: number;
  readonly fullEvery?: number;
}

/** The resolved settings a coordinator runs with. */
export interface CheckpointConfig {
  /** 0 when the job takes no checkpoints. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  /** Checkpoints that may fail in a row before the job fails. */
  readonly tolerableFailures: number;
  /** Completed checkpoints kept; older ones are deleted. */
  readonly retained: number;
  /** Every Nth checkpoint writes full keyed state; the others write deltas. */
  readonly fullEvery: number;
  /** The job's checkpoint directory. */
  readonly jobRoot: string;
  /** Where savepoints go when the request names no directory. */
  readonly defaultSavepointDir: string;
  /**
   * The directories a savepoint of this job may be written under (the JobManager's savepoint
   * roots and the default directory); its TaskManagers write a savepoint a barrier names nowhere else.
   */
  readonly savepointRoots: readonly string[];
}

/** Applies defaults; `checkpointDir`, `savepointDir` and `savepointRoots` come from the JobManager. */
export function resolveCheckpointConfig(
  options: CheckpointOptions,
  jobId: string,
  checkpointDir: string,
  savepointDir: string | undefined,
  savepointRoots: readonly string[] = [],
): CheckpointConfig {
  const intervalMs = options.intervalMs || 0;
  const defaultSavepointDir = savepointDir ?? join(checkpointDir, 'savepoints');
  return {
    intervalMs,
    timeoutMs: options.timeoutMs || 60_000,
    minPauseMs: options.minPauseMs || 0,
    tolerableFailures: options.tolerableFailures ?? 3,
    retained: Math.max(1, options.retained || 3),
    fullEvery: Math.max(1, options.fullEvery || 10),
    jobRoot: jobCheckpointRoot(checkpointDir, jobId),
    defaultSavepointDir,
    savepointRoots: [...new Set([...savepointRoots, defaultSavepointDir])],
  };
}
