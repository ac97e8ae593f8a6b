/**
 * The one split of a PostgreSQL change stream and its progress, as checkpoints keep it.
 */
import type { SourceSplit } from '../../common/connector/source.ts';

/** A table's change stream. JSON-serializable, for deployments and checkpoints. */
export interface CdcSplit extends SourceSplit {
  readonly table: string;
  /** The replication slot; absent until the reader has created it. */
  readonly slot?: string;
  /**
   * The end LSN of the last transaction emitted completely (at first the slot's consistent point):
   * the stream resumes with the transaction that commits after it.
   */
  readonly lsn?: string;
  /** How many changes of the transaction after `lsn` were emitted already. */
  readonly skip?: number;
  /** Rows of the initial snapshot not emitted yet; they come before the changes after `lsn`. */
  readonly snapshot?: readonly Record<string, unknown>[];
}

/** The id of the split of `table`. */
export function cdcSplitId(table: string): string {
  return `postgres-cdc:${table}`;
}
