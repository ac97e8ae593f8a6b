/** What the TaskManager lends every task it builds. */
import type { Logger } from '../../common/logging.ts';
import type { DataClientPool } from '../network/data-client-pool.ts';
import type { PartitionManager } from '../network/partition-manager.ts';
import type { ResultPartitionConfig } from '../network/result-partition.ts';
import type { KeyedState, KeyedStateRequest } from '../state/job-state-stores.ts';

/** The TaskManager's services a task is built with (see build-task-parts.ts). */
export interface TaskEnvironment {
  readonly address: string;
  readonly partitions: PartitionManager;
  readonly dataClients: DataClientPool;
  readonly partitionConfig: ResultPartitionConfig;
  /** Credit each input channel grants up front. */
  readonly initialCredit: number;
  pushCollected(jobId: string, sinkId: string, records: readonly unknown[]): Promise<void>;
  /** Creates the keyed state backend and timers of one keyed operator subtask. */
  keyedState(request: KeyedStateRequest): Promise<KeyedState>;
  readonly log: Logger;
}
