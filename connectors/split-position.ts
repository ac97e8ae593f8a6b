/**
 * How the readers of this folder report where each split stands, for checkpoints.
 */

/**
 * The position of one split: where reading resumes after a restart. Its meaning depends on the
 * source (a byte offset for files, a record index for collections and datagen).
 */
export interface SplitPosition {
  readonly splitId: string;
  readonly offset: number;
}

/** Orders positions by split id (plain string comparison), so snapshots are deterministic. */
export function bySplitId(a: SplitPosition, b: SplitPosition): number {
  return a.splitId < b.splitId ? -1 : a.splitId > b.splitId ? 1 : 0;
}
