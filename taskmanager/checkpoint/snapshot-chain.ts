/**
 * Decides, for each keyed-state snapshot of one backend, whether it can be a delta and of which
 * writes. A delta builds on the base: the handle of the backend's latest snapshot that was
 * uploaded since open/restore. It holds the last write of every key written since the base's
 * synchronous phase: the change sets taken at the synchronous phases after it, merged with the
 * newer write winning; those sets are kept in a log until no base or pending snapshot can need
 * them.
 *
 * Snapshots may overlap (one uploading while the next begins): a snapshot's plan is fixed at its
 * synchronous phase from the base known then, and a later completion replaces the base only if it
 * is newer. A failed upload changes nothing (its keys stay in the log for the next delta).
 */
import type { KeyedStateHandle } from '../../common/checkpoint/checkpoint-types.ts';
import type { KeyedSnapshotOptions } from '../state/keyed-state-backend.ts';
import type { StateChangeSet } from './state-change-set.ts';

/** What one snapshot writes, fixed at its synchronous phase. */
export interface SnapshotPlan {
  readonly options: KeyedSnapshotOptions;
  /** The handle a delta builds on; undefined: write a full file. */
  readonly base: KeyedStateHandle | undefined;
  /** The writes since the base's snapshot, oldest first; a later write of a key wins (none without a base). */
  readonly changes: readonly StateChangeSet[];
  /** The chain generation the plan belongs to; a `reset` makes older plans moot. */
  readonly generation: number;
}

interface Base {
  readonly checkpointId: number;
  readonly root: string;
  readonly dir: string;
  readonly handle: KeyedStateHandle;
}

/** See the module comment. */
export class SnapshotChain {
  private base: Base | undefined;
  /** Changes taken at each synchronous phase, oldest first. */
  private log: { readonly checkpointId: number; readonly changes: StateChangeSet }[] = [];
  /** Snapshots begun and not yet completed or failed. */
  private readonly pending = new Set<number>();
  private lastCheckpointId: number | undefined;
  private generation = 0;

  /** Whether a snapshot begun now with these options would be a delta. */
  wouldBeDelta(options: KeyedSnapshotOptions): boolean {
    const restarts = this.lastCheckpointId !== undefined && options.checkpointId <= this.lastCheckpointId;
    return !restarts && this.base !== undefined && !options.full && sameLocation(this.base, options);
  }

  /**
   * Plans a snapshot at its synchronous phase, given the writes since the previous one.
   * Checkpoint ids must increase; a smaller or repeated one starts over (a full snapshot).
   */
  begin(options: KeyedSnapshotOptions, changes: StateChangeSet): SnapshotPlan {
    const delta = this.wouldBeDelta(options);
    const id = options.checkpointId;
    if (this.lastCheckpointId !== undefined && id <= this.lastCheckpointId) this.reset();
    this.lastCheckpointId = id;
    if (changes.size > 0) this.log.push({ checkpointId: id, changes });
    this.pending.add(id);
    const base = delta ? this.base : undefined;
    const plan: SnapshotPlan = {
      options,
      base: base?.handle,
      changes: base !== undefined ? this.changesAfter(base.checkpointId) : [],
      generation: this.generation,
    };
    this.prune();
    return plan;
  }

  /**
   * Records an uploaded snapshot. It becomes the base if it is newer than the current one, unless
   * it is a requested full copy elsewhere (a savepoint must not pull checkpoints' deltas into its
   * directory).
   */
  completed(plan: SnapshotPlan, handle: KeyedStateHandle): void {
    if (plan.generation !== this.generation) return;
    const { checkpointId, root, dir, full } = plan.options;
    this.pending.delete(checkpointId);
    const base = this.base;
    if (base === undefined || (checkpointId > base.checkpointId && (sameLocation(base, plan.options) || !full))) {
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
    if (this.base?.handle.files.some((file) => file.checkpointId === checkpointId) === true) {
      this.base = undefined;
      this.prune();
    }
  }

  /** Forgets everything: the next snapshot is full. For open and restore. */
  reset(): void {
    this.base = undefined;
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
