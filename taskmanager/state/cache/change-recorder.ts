/**
 * Records, for incremental snapshots, each entry changed since the last `take`: its encoded key
 * and value, or a delete when the snapshots hold the key. Recording starts from a state the
 * snapshots hold exactly (`start`: an empty range, or a full snapshot read from the database) and
 * stops when nobody takes the changes for too long (`maxChangeBytes`; the next snapshot is then a
 * full copy). An entry's `snapshot` status says whether it changed since it was last recorded;
 * the list of changed entries only finds them again (an entry joins it when it becomes changed,
 * and one recorded or gone since is passed over and let go at the next `settle`), so no count has
 * to agree with it.
 *
 * A key may repeat in one change set only when it was recorded twice in it (by a flush, then by
 * the snapshot) or when its entry left the cache after being recorded and a new entry for the key
 * was recorded again; the set is told so, and keeps the later write.
 */
import { StateChangeSet } from '../snapshot/state-change-set.ts';
import type { StateKeyEncoder } from '../state-key-layout.ts';
import type { CacheEntry } from './cache-entry.ts';

/** See the module comment. */
export class ChangeRecorder {
  private tracking = false;
  private changed: CacheEntry[] = [];
  private changes = new StateChangeSet();
  /** Numbers the change sets, for `CacheEntry.recordedIn` and `bornIn`. */
  private epoch = 0;
  /** State id → slots that an entry recorded in the current set left: a new entry there may repeat its key. */
  private readonly left = new Map<number, Set<string>>();

  constructor(
    /** Recorded changes (encoded bytes) beyond which recording stops while nobody takes them. */
    readonly maxChangeBytes: number,
    private readonly encoder: StateKeyEncoder,
    /** Encodes an entry's present value (and measures it). */
    private readonly encodeValue: (entry: CacheEntry) => Uint8Array,
  ) {}

  /** Whether changes are recorded. */
  get trackingChanges(): boolean {
    return this.tracking;
  }

  /** Whether changes were recorded, or wait to be, since recording started or the last `take`. */
  get hasChanges(): boolean {
    return this.changes.size > 0 || this.changed.some((entry) => this.isChanged(entry));
  }

  /** Starts recording, from a state where the snapshots hold exactly what the database holds. */
  start(entries: Iterable<CacheEntry>): void {
    for (const entry of entries) entry.snapshot = entry.stored ? 'held' : 'absent';
    this.tracking = true;
  }

  /** Stops recording and forgets what was recorded. */
  stop(): void {
    this.tracking = false;
    for (const entry of this.changed) this.unchanged(entry);
    this.changed = [];
    this.nextSet();
  }

  /** Marks a new entry as born in the current change set. */
  born(entry: CacheEntry): void {
    entry.bornIn = this.epoch;
  }

  /** Notes an entry's new value (`undefined`: a delete); per record, so cheap when nothing changes. */
  wrote(entry: CacheEntry, value: unknown): void {
    const snapshot = entry.snapshot;
    if (snapshot === 'held') entry.snapshot = 'changed-held';
    else if (snapshot === 'absent' && value !== undefined) entry.snapshot = 'changed-absent';
    else return;
    this.changed.push(entry);
  }

  /** Whether an entry changed since it was last recorded. */
  isChanged(entry: CacheEntry): boolean {
    return entry.snapshot === 'changed-held' || entry.snapshot === 'changed-absent';
  }

  /**
   * Records an entry if it changed since it was last recorded. `key` and `value` are its
   * encodings when the caller has them (a flush).
   */
  record(entry: CacheEntry, key?: Uint8Array, value?: Uint8Array): void {
    if (!this.isChanged(entry)) return;
    const held = entry.snapshot === 'changed-held';
    if (entry.value !== undefined) {
      value ??= this.encodeValue(entry);
      entry.snapshot = 'held';
    } else {
      entry.snapshot = 'absent';
      if (!held) return;
    }
    const repeat = entry.recordedIn === this.epoch || (entry.bornIn === this.epoch && this.left.get(entry.state.id)?.has(entry.slot) === true);
    this.changes.add(key ?? this.encoder.prepare(entry.keyGroup, entry.state.id, entry.key, entry.namespace, entry.userKey), value, repeat);
    entry.recordedIn = this.epoch;
  }

  /** Records every changed entry; returns those that were changed. */
  recordAll(): CacheEntry[] {
    const recorded = this.changed.filter((entry) => this.isChanged(entry));
    this.changed = [];
    for (const entry of recorded) this.record(entry);
    return recorded;
  }

  /** Notes that an entry left the cache: a new entry for its key would not know it was recorded. */
  leaving(entry: CacheEntry): void {
    this.unchanged(entry);
    if (entry.recordedIn !== this.epoch) return;
    let slots = this.left.get(entry.state.id);
    if (slots === undefined) {
      slots = new Set();
      this.left.set(entry.state.id, slots);
    }
    slots.add(entry.slot);
  }

  /**
   * After some entries were recorded outside `recordAll` (a batch, a sweep): lets the list go of
   * them, and stops recording once the recorded changes outgrow `maxChangeBytes` (nobody takes them).
   */
  settle(): void {
    if (!this.tracking) return;
    this.changed = this.changed.filter((entry) => this.isChanged(entry));
    if (this.changes.byteLength > this.maxChangeBytes) this.stop();
  }

  /** Takes what was recorded since the last call, and starts a new set. Record first (`recordAll`). */
  take(): StateChangeSet {
    return this.nextSet();
  }

  /** Forgets an entry's unrecorded change. */
  private unchanged(entry: CacheEntry): void {
    if (entry.snapshot === 'changed-held') entry.snapshot = 'held';
    else if (entry.snapshot === 'changed-absent') entry.snapshot = 'absent';
  }

  private nextSet(): StateChangeSet {
    const changes = this.changes;
    // Sized like the last set, so that a steady workload does not grow each one from scratch.
    this.changes = new StateChangeSet(changes.byteLength);
    this.epoch++;
    this.left.clear();
    return changes;
  }
}
