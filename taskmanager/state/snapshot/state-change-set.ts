/**
 * The writes a write-back cache recorded for an incremental snapshot: state keys with their
 * encoded values, or deletes, already encoded as keyed-state file entries, in one buffer (no
 * object per write stays alive until the delta is written). A key repeats only when it was
 * recorded twice in one set (by a flush, then again later); the later write wins. A delta is
 * written from the latest write of each key over one or more sets, without reading the database.
 */
import { EntryBuffer, type KeyWriter } from './keyed-state-file.ts';

/** Encoded entries, each key once. */
export interface LatestWrites {
  readonly bytes: Buffer;
  readonly count: number;
}

/** See the module comment. */
export class StateChangeSet {
  private readonly entries: EntryBuffer;
  private count = 0;
  /** Deletes recorded. */
  private deletes = 0;
  /** Whether some key occurs more than once. */
  private repeated = false;

  /** `expectedBytes`: the room to start with (the size of a similar set, say), up to 8 MiB. */
  constructor(expectedBytes = 0) {
    this.entries = new EntryBuffer(Math.min(8 * 1024 * 1024, Math.max(4096, Math.ceil(expectedBytes * 1.25))));
  }

  /** Writes recorded, repeats included. */
  get size(): number {
    return this.count;
  }

  /** Encoded bytes held. */
  get byteLength(): number {
    return this.entries.byteLength;
  }

  /**
   * Records a write (`value` undefined: a delete); `repeat` says the key may be in the set
   * already. Copies both; a key given as a `KeyWriter` is written in place.
   */
  add(key: Uint8Array | KeyWriter, value: Uint8Array | undefined, repeat: boolean): void {
    if (key instanceof Uint8Array) this.entries.addEntry(key, value);
    else this.entries.addEntryWith(key, value);
    this.count++;
    if (value === undefined) this.deletes++;
    if (repeat) this.repeated = true;
  }

  /**
   * The latest write of each key over `sets`, oldest set first, without deletes when
   * `withoutDeletes`. A single set without repeats or deletes to drop is returned as it is;
   * otherwise keys are compared by their bytes.
   */
  static latest(sets: readonly StateChangeSet[], withoutDeletes = false): LatestWrites {
    const only = sets.length === 1 ? sets[0]! : undefined;
    if (only !== undefined && !only.repeated && !(withoutDeletes && only.deletes > 0)) return { bytes: only.entries.bytes, count: only.count };
    const byKey = new Map<string, Buffer | undefined>();
    for (const set of sets) {
      EntryBuffer.forEachEntry(set.entries.bytes, (key, entry, isDelete) => {
        byKey.set(key.toString('latin1'), withoutDeletes && isDelete ? undefined : entry);
      });
    }
    const merged = new EntryBuffer();
    let count = 0;
    for (const entry of byKey.values()) {
      if (entry === undefined) continue;
      merged.append(entry);
      count++;
    }
    return { bytes: merged.bytes, count };
  }
}
