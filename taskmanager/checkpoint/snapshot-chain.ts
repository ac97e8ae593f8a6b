/**
 * Decides, for each keyed-state snapshot of one backend, whether it can be a delta and of which
 * keys. A delta builds on the base: the handle of the backend's latest snapshot that was uploaded
 * since open/restore. Its keys are every key written since the base's synchronous phase, which is
 * the union of the changed-key sets taken at the synchronous phases after it; those sets are
 * kept in a log until no base or pending snapshot can need them.
 *
 * Snapshots may overlap (one uploading while the next begins): a snapshot's plan is fixed at its
 * synchronous phase from the base known then, and a later completion replaces the base only if it
 * is newer. A failed upload changes nothing (its keys stay in the log for the next delta).
 */
import type { KeyedStateHandle } from '../../common/checkpoint/checkpoint-types.ts';
import type { KeyedSnapshotOptions } from '../state/keyed-state-backend.ts';

/** What one snapshot writes, fixed at its synchronous phase. */
export interface SnapshotPlan {
  readonly options: KeyedSnapshotOptions;
  /** The handle a delta builds on; undefined: write a full file. */
  readonly base: KeyedStateHandle | undefined;
  /** The keys written since the base's snapshot (empty without a base). */
  readonly changedKeys: readonly Uint8Array[];
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
  /** Changed keys taken at each synchronous phase, oldest first. */
  private log: { readonly checkpointId: number; readonly keys: readonly Uint8Array[] }[] = [];
  /** Snapshots begun and not yet completed or failed. */
  private readonly pending = new Set<number>();
  private lastCheckpointId: number | undefined;
  private generation = 0;

  /**
   * Plans a snapshot at its synchronous phase, given the keys written since the previous one.
   * Checkpoint ids must increase; a smaller or repeated one starts over (a full snapshot).
   */
  begin(options: KeyedSnapshotOptions, changedKeys: readonly Uint8Array[]): SnapshotPlan {
    const id = options.checkpointId;
    if (this.lastCheckpointId !== undefined && id <= this.lastCheckpointId) this.reset();
    this.lastCheckpointId = id;
    if (changedKeys.length > 0) this.log.push({ checkpointId: id, keys: changedKeys });
    this.pending.add(id);
    const base = this.base;
    const usable = base !== undefined && !options.full && sameLocation(base, options);
    const plan: SnapshotPlan = {
      options,
      base: usable ? base.handle : undefined,
      changedKeys: usable ? this.keysAfter(base.checkpointId) : [],
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

  /** Each key written after the synchronous phase of `checkpointId`, once. */
  private keysAfter(checkpointId: number): Uint8Array[] {
    const sets = this.log.filter((entry) => entry.checkpointId > checkpointId);
    if (sets.length === 1) return [...(sets[0]?.keys ?? [])];
    const union = new Map<string, Uint8Array>();
    for (const { keys } of sets) for (const key of keys) union.set(Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1'), key);
    return [...union.values()];
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
