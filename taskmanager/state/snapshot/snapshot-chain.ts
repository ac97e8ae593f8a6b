/**
 * Decides, for each keyed-state snapshot of one backend, whether it can be written from the
 * changes the cache recorded, and from which. A delta builds on the base: the handle of the
 * backend's latest snapshot that was uploaded since open/restore. It holds the last write of
 * every key written since the base's synchronous phase: the change sets taken at the synchronous
 * phases after it, merged with the newer write winning; those sets are kept in a log until no
 * base or pending snapshot can need them. A backend opened empty starts from an empty base: until
 * a snapshot of it is uploaded, each snapshot is a full file written from every change since open.
 *
 * Snapshots may overlap (one uploading while the next begins): a snapshot's plan is fixed at its
 * synchronous phase from the base known then, and a later completion replaces the base only if it
 * is newer. A failed upload changes nothing (its keys stay in the log for the next delta).
 */
import type { KeyedStateHandle } from '../../../common/checkpoint/checkpoint-types.ts';
import type { KeyedSnapshotOptions } from '../keyed-state-backend.ts';
import type { StateChangeSet } from './state-change-set.ts';

/** What one snapshot writes, fixed at its synchronous phase. */
export interface SnapshotPlan {
  readonly options: KeyedSnapshotOptions;
  /** The handle a delta builds on; undefined: write a full file. */
  readonly base: KeyedStateHandle | undefined;
  /**
   * Whether the file is written from `changes`: a delta on `base`, or, without a base, a full file
   * of everything written since the backend was opened empty. Otherwise it is read from the database.
   */
  readonly fromChanges: boolean;
  /** The writes since the base's snapshot, or since open, oldest first; a later write of a key wins. */
  readonly changes: readonly StateChangeSet[];
  /** The chain generation the plan belongs to; a `reset` makes older plans moot. */
  readonly generation: number;
}

interface Base {
  readonly checkpointId: number;
  readonly root: string;
  readonly dir: string;
  /** Undefined for the empty state of a backend opened empty, which any location can build on. */
  readonly handle: KeyedStateHandle | undefined;
}

/** The base of a backend opened empty, before its first snapshot was uploaded. */
const EMPTY: Base = { checkpointId: -1, root: '', dir: '', handle: undefined };

/** See the module comment. */
export class SnapshotChain {
  private base: Base | undefined;
  /** Changes taken at each synchronous phase, oldest first. */
  private log: { readonly checkpointId: number; readonly changes: StateChangeSet }[] = [];
  /** Snapshots begun and not yet completed or failed. */
  private readonly pending = new Set<number>();
  private lastCheckpointId: number | undefined;
  private generation = 0;

  /** Whether a snapshot begun now with these options would be written from recorded changes. */
  wouldBeFromChanges(options: KeyedSnapshotOptions): boolean {
    const restarts = this.lastCheckpointId !== undefined && options.checkpointId <= this.lastCheckpointId;
    const base = this.base;
    return !restarts && base !== undefined && (base === EMPTY || (!options.full && sameLocation(base, options)));
  }

  /** Whether the chain is still at the empty base of `reset(true)` with nothing logged or pending. */
  get untouchedEmpty(): boolean {
    return this.base === EMPTY && this.log.length === 0 && this.pending.size === 0;
  }

  /**
   * Plans a snapshot at its synchronous phase, given the writes since the previous one.
   * Checkpoint ids must increase; a smaller or repeated one starts over (a full snapshot).
   */
  begin(options: KeyedSnapshotOptions, changes: StateChangeSet): SnapshotPlan {
    const fromChanges = this.wouldBeFromChanges(options);
    const id = options.checkpointId;
    if (this.lastCheckpointId !== undefined && id <= this.lastCheckpointId) this.reset();
    this.lastCheckpointId = id;
    if (changes.size > 0) this.log.push({ checkpointId: id, changes });
    this.pending.add(id);
    const base = fromChanges ? this.base : undefined;
    const plan: SnapshotPlan = {
      options,
      base: base?.handle,
      fromChanges,
      changes: base !== undefined ? this.changesAfter(base.checkpointId) : [],
      generation: this.generation,
    };
    this.prune();
    return plan;
  }

  /**
   * Records an uploaded snapshot. It becomes the base if it is newer than the current one, unless
   * it is a savepoint's (later deltas must not build on the user's files).
   */
  completed(plan: SnapshotPlan, handle: KeyedStateHandle): void {
    if (plan.generation !== this.generation) return;
    const { checkpointId, root, dir, savepoint } = plan.options;
    this.pending.delete(checkpointId);
    const base = this.base;
    if (savepoint !== true && (base === undefined || checkpointId > base.checkpointId)) {
      this.base = { checkpointId, root, dir, handle };
    }
    this.prune();
  }

  /** Records a failed upload. */
  failed(plan: SnapshotPlan): void {
    if (plan.generation !== this.generation) return;
    this.pending.delete(plan.options.checkpointId);
    this.prune();
  }

  /** A checkpoint was aborted: its files may be deleted, so the base must not reference them. */
  aborted(checkpointId: number): void {
    if (this.base?.handle?.files.some((file) => file.checkpointId === checkpointId) === true) {
      this.base = undefined;
      this.prune();
    }
  }

  /**
   * Forgets everything: the next snapshot is full, read from the database, or, with `empty`
   * (the backend holds nothing and its cache records every change from now on), written from
   * the changes.
   */
  reset(empty = false): void {
    this.base = empty ? EMPTY : undefined;
    this.log = [];
    this.pending.clear();
    this.lastCheckpointId = undefined;
    this.generation++;
  }

  /** The change sets taken after the synchronous phase of `checkpointId`, oldest first. */
  private changesAfter(checkpointId: number): StateChangeSet[] {
    return this.log.filter((entry) => entry.checkpointId > checkpointId).map((entry) => entry.changes);
  }

  /** Drops log entries that neither the base nor a pending snapshot can need. */
  private prune(): void {
    const ids = [...this.pending];
    if (this.base !== undefined) ids.push(this.base.checkpointId);
    if (ids.length === 0) {
      this.log = [];
      return;
    }
    const floor = Math.min(...ids);
    this.log = this.log.filter((entry) => entry.checkpointId > floor);
  }
}

function sameLocation(base: Base, options: KeyedSnapshotOptions): boolean {
  return base.root === options.root && base.dir === options.dir;
}
