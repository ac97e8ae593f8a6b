/**
 * The state database of one job on one TaskManager: a LevelDB (classic-level) at a directory the
 * TaskManager chooses (`<data-dir>/state/<jobId>`), shared by every keyed backend of the job's
 * subtasks on that TaskManager. Keys follow `state-key-layout.ts`.
 *
 * It also numbers the states: each `(operatorId, stateName)` gets a stable uint16 state id, which
 * prefixes its keys. The registry is loaded when the database opens and kept in memory, so that
 * allocation is synchronous; a new id is written in the same batch as the next `write` (so no state
 * key ever reaches the disk before the id that names it), or at `close`.
 */
import { ClassicLevel, type Snapshot } from 'classic-level';
import type { KeyGroupRange } from '../../common/key-groups.ts';
import { keyGroupAndStateId, MAX_STATE_ID, META_PREFIX, stateKeyPrefix } from './state-key-layout.ts';

/** One operation of a state write batch. */
export type StateWrite =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

/** LevelDB tuning; the defaults are classic-level's. */
export interface StateDbOptions {
  /** LevelDB's block cache, in bytes. */
  readonly blockCacheBytes?: number;
  /** LevelDB's write buffer (memtable), in bytes. */
  readonly writeBufferBytes?: number;
}

/** A point-in-time view of the database, for reads that must not see later writes; close it. */
export type StateDbSnapshot = Snapshot;

/** Options of a scan over states. */
export interface StateScanOptions {
  /** Read from this snapshot instead of the live database. */
  readonly snapshot?: StateDbSnapshot;
  /** Entries per yielded batch; default 1000. */
  readonly batchSize?: number;
}

/** Second byte of the state id registry's meta keys. */
const REGISTRY_TAG = 0x01;
/** Deletions per batch when dropping states. */
const DELETE_BATCH = 1000;
/** Entries per batch of a scan, by default. */
const SCAN_BATCH = 1000;

/** What a scan needs of a LevelDB iterator (of entries or of keys). */
interface ScanIterator {
  nextv(size: number): Promise<unknown[]>;
  seek(target: Uint8Array): void;
  close(): Promise<void>;
}

type Level = ClassicLevel<Uint8Array, Uint8Array>;

/** The state database of one job on one TaskManager. Closed by its owner (the TaskManager). */
export class StateDb {
  /** operatorId → state name → id. */
  private readonly ids = new Map<string, Map<string, number>>();
  private nextId = 0;
  /** Registry entries not yet written, by meta key (hex) so that retries stay idempotent. */
  private readonly pendingRegistry = new Map<string, StateWrite>();

  private constructor(
    private readonly level: Level,
    /** The database directory. */
    readonly location: string,
  ) {}

  /** Opens (creating if needed) the database at `dir` and loads the state id registry. */
  static async open(dir: string, options: StateDbOptions = {}): Promise<StateDb> {
    const level: Level = new ClassicLevel<Uint8Array, Uint8Array>(dir, {
      keyEncoding: 'view',
      valueEncoding: 'view',
      ...(options.blockCacheBytes !== undefined && { cacheSize: options.blockCacheBytes }),
      ...(options.writeBufferBytes !== undefined && { writeBufferSize: options.writeBufferBytes }),
    });
    await level.open();
    const db = new StateDb(level, dir);
    try {
      await db.loadRegistry();
    } catch (error) {
      await level.close();
      throw error;
    }
    return db;
  }

  private async loadRegistry(): Promise<void> {
    const iterator = this.level.iterator({
      gte: Uint8Array.of(META_PREFIX, REGISTRY_TAG),
      lt: Uint8Array.of(META_PREFIX, REGISTRY_TAG + 1),
    });
    try {
      for (;;) {
        const entries = await iterator.nextv(1000);
        if (entries.length === 0) break;
        for (const [key, value] of entries) {
          const { operatorId, name } = decodeRegistryKey(key);
          const id = ((value[0] ?? 0) << 8) | (value[1] ?? 0);
          this.namesOf(operatorId).set(name, id);
          this.nextId = Math.max(this.nextId, id + 1);
        }
      }
    } finally {
      await iterator.close();
    }
  }

  private namesOf(operatorId: string): Map<string, number> {
    let names = this.ids.get(operatorId);
    if (names === undefined) {
      names = new Map();
      this.ids.set(operatorId, names);
    }
    return names;
  }

  /** The stable id of an operator's state, allocated on first use. Synchronous. */
  stateId(operatorId: string, name: string): number {
    const names = this.namesOf(operatorId);
    const known = names.get(name);
    if (known !== undefined) return known;
    if (this.nextId > MAX_STATE_ID) throw new Error(`state database ${this.location} has no state ids left`);
    const id = this.nextId++;
    names.set(name, id);
    const key = encodeRegistryKey(operatorId, name);
    this.pendingRegistry.set(Buffer.from(key).toString('hex'), { type: 'put', key, value: Uint8Array.of(id >>> 8, id & 0xff) });
    return id;
  }

  /** Every state id allocated to an operator, including those of earlier runs. */
  stateIdsOf(operatorId: string): number[] {
    return [...(this.ids.get(operatorId)?.values() ?? [])];
  }

  /** An operator's states: name → id (a copy), including those of earlier runs. */
  statesOf(operatorId: string): Map<string, number> {
    return new Map(this.ids.get(operatorId));
  }

  /** Takes a snapshot: reads given it see the database as it is now. The caller closes it. */
  snapshot(): StateDbSnapshot {
    return this.level.snapshot();
  }

  /** Reads many values, from a snapshot if given; undefined where absent. */
  async getMany(keys: readonly Uint8Array[], snapshot?: StateDbSnapshot): Promise<(Uint8Array | undefined)[]> {
    return this.level.getMany([...keys], snapshot !== undefined ? { snapshot } : {});
  }

  /**
   * Every entry of the given states in a key-group range, in key order, in batches. Like
   * `deleteStates` it seeks over other states' keys instead of reading them one by one.
   */
  async *scanEntries(stateIds: readonly number[], range: KeyGroupRange, options: StateScanOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array][]> {
    yield* this.scan(stateIds, range, options, true, (entry: [Uint8Array, Uint8Array]) => entry[0]);
  }

  /** The keys of `scanEntries`, without reading values. */
  async *scanKeys(stateIds: readonly number[], range: KeyGroupRange, options: StateScanOptions = {}): AsyncGenerator<Uint8Array[]> {
    yield* this.scan(stateIds, range, options, false, (key: Uint8Array) => key);
  }

  private async *scan<T>(
    stateIds: readonly number[],
    range: KeyGroupRange,
    options: StateScanOptions,
    values: boolean,
    keyOf: (item: T) => Uint8Array,
  ): AsyncGenerator<T[]> {
    const ids = [...new Set(stateIds)].sort((a, b) => a - b);
    const first = ids[0];
    if (first === undefined) return;
    const own = new Set(ids);
    const bounds = {
      gte: stateKeyPrefix(range.start, first),
      lt: stateKeyPrefix(range.end + 1),
      ...(options.snapshot !== undefined && { snapshot: options.snapshot }),
    };
    const iterator: ScanIterator = values ? this.level.iterator(bounds) : this.level.keys(bounds);
    const batchSize = options.batchSize ?? SCAN_BATCH;
    try {
      for (;;) {
        const items = (await iterator.nextv(batchSize)) as T[];
        const last = items[items.length - 1];
        if (last === undefined) return;
        const kept = items.filter((item) => own.has(keyGroupAndStateId(keyOf(item)).stateId));
        if (kept.length > 0) yield kept;
        const { keyGroup, stateId } = keyGroupAndStateId(keyOf(last));
        if (own.has(stateId)) continue;
        const next = ids.find((id) => id > stateId);
        iterator.seek(next !== undefined ? stateKeyPrefix(keyGroup, next) : stateKeyPrefix(keyGroup + 1, first));
      }
    } finally {
      await iterator.close();
    }
  }

  /** Reads one value synchronously; undefined when absent. */
  getSync(key: Uint8Array): Uint8Array | undefined {
    return this.level.getSync(key);
  }

  /** Writes a batch atomically, together with any state ids allocated since the last write. */
  async write(ops: readonly StateWrite[]): Promise<void> {
    if (ops.length === 0 && this.pendingRegistry.size === 0) return;
    const registry = [...this.pendingRegistry];
    await this.level.batch([...registry.map(([, op]) => op), ...ops]);
    for (const [hex, op] of registry) if (this.pendingRegistry.get(hex) === op) this.pendingRegistry.delete(hex);
  }

  /**
   * Deletes every key of the given states in a key-group range; returns how many. Skips over
   * other states' keys with seeks, so the cost follows the deleted keys and the (key group,
   * state) runs visited, not the other operators' data.
   */
  async deleteStates(stateIds: readonly number[], range: KeyGroupRange): Promise<number> {
    const ids = [...new Set(stateIds)].sort((a, b) => a - b);
    const first = ids[0];
    if (first === undefined) return 0;
    const own = new Set(ids);
    const nextOwn = (stateId: number): number | undefined => ids.find((id) => id > stateId);
    const iterator = this.level.keys({ gte: stateKeyPrefix(range.start, first), lt: stateKeyPrefix(range.end + 1) });
    let pending: StateWrite[] = [];
    let deleted = 0;
    try {
      for (;;) {
        const key = await iterator.next();
        if (key === undefined) break;
        const { keyGroup, stateId } = keyGroupAndStateId(key);
        if (own.has(stateId)) {
          pending.push({ type: 'del', key });
          deleted++;
          if (pending.length >= DELETE_BATCH) {
            await this.level.batch(pending);
            pending = [];
          }
          continue;
        }
        const next = nextOwn(stateId);
        iterator.seek(next !== undefined ? stateKeyPrefix(keyGroup, next) : stateKeyPrefix(keyGroup + 1, first));
      }
    } finally {
      await iterator.close();
    }
    if (pending.length > 0) await this.level.batch(pending);
    return deleted;
  }

  /** Writes pending state ids and closes the database. */
  async close(): Promise<void> {
    if (this.level.status === 'open') await this.write([]);
    await this.level.close();
  }
}

function encodeRegistryKey(operatorId: string, name: string): Uint8Array {
  const op = Buffer.from(operatorId, 'utf8');
  const nm = Buffer.from(name, 'utf8');
  const key = Buffer.allocUnsafe(2 + 4 + op.length + nm.length);
  key[0] = META_PREFIX;
  key[1] = REGISTRY_TAG;
  key.writeUInt32BE(op.length, 2);
  op.copy(key, 6);
  nm.copy(key, 6 + op.length);
  return key;
}

function decodeRegistryKey(key: Uint8Array): { operatorId: string; name: string } {
  const view = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const opLength = view.readUInt32BE(2);
  return {
    operatorId: view.toString('utf8', 6, 6 + opLength),
    name: view.toString('utf8', 6 + opLength),
  };
}
