/**
 * The asynchronous part of a keyed-state snapshot: writes one keyed-state file (see
 * keyed-state-file.ts) from a LevelDB snapshot, either every entry of an operator's states in a
 * key-group range (full) or the current value or absence of a set of changed keys (delta). It
 * reads only from the snapshot, so the task may go on writing the database meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { createAtomicFile, resolveStatePath } from '../../common/checkpoint/checkpoint-storage.ts';
import type { KeyedStateFile } from '../../common/checkpoint/checkpoint-types.ts';
import type { KeyGroupRange } from '../state/keyed-state-backend.ts';
import type { StateDb, StateDbSnapshot } from '../state/state-db.ts';
import { KeyedStateFileWriter, type KeyedStateFileKind } from './keyed-state-file.ts';

/** What a snapshot reads: one operator's states in a key-group range, as of a LevelDB snapshot. */
export interface SnapshotSource {
  readonly db: StateDb;
  readonly snapshot: StateDbSnapshot;
  readonly operatorId: string;
  readonly keyGroupRange: KeyGroupRange;
  /** The operator's states at the time of the snapshot: name → id. */
  readonly states: ReadonlyMap<string, number>;
}

/** Where a file goes and which checkpoint writes it. */
export interface SnapshotTarget {
  readonly checkpointId: number;
  /** Absolute storage root. */
  readonly root: string;
  /** Sub-directory of the root for the file. */
  readonly dir: string;
}

/** Changed keys whose values are read from the snapshot at a time. */
const DELTA_READ_BATCH = 1000;
/** Longest operator id part of a file name. */
const MAX_NAME_PART = 64;

/** Writes a full file: every entry of the source's states in its key-group range. */
export async function writeFullFile(source: SnapshotSource, target: SnapshotTarget): Promise<KeyedStateFile> {
  return writeFile(source, target, 'full', async (writer) => {
    const ids = [...source.states.values()];
    for await (const entries of source.db.scanEntries(ids, source.keyGroupRange, { snapshot: source.snapshot })) {
      for (const [key, value] of entries) writer.add(key, value);
      await writer.drain();
    }
  });
}

/**
 * Writes a delta file: for each changed key, its value in the snapshot, or a tombstone when the
 * snapshot has none. The keys must be the source's (its operator, its key-group range).
 */
export async function writeDeltaFile(source: SnapshotSource, target: SnapshotTarget, changedKeys: readonly Uint8Array[]): Promise<KeyedStateFile> {
  const keys = sortedByBytes(changedKeys);
  return writeFile(source, target, 'delta', async (writer) => {
    for (let i = 0; i < keys.length; i += DELTA_READ_BATCH) {
      const batch = keys.slice(i, i + DELTA_READ_BATCH);
      const values = await source.db.getMany(batch, source.snapshot);
      batch.forEach((key, j) => writer.add(key, values[j]));
      await writer.drain();
    }
  });
}

async function writeFile(
  source: SnapshotSource,
  target: SnapshotTarget,
  kind: KeyedStateFileKind,
  fill: (writer: KeyedStateFileWriter) => Promise<void>,
): Promise<KeyedStateFile> {
  const path = posix.join(target.dir, fileName(source, target.checkpointId, kind));
  const absolute = resolveStatePath(target.root, path);
  await mkdir(resolveStatePath(target.root, target.dir), { recursive: true });
  const file = await createAtomicFile(absolute);
  let bytes: number;
  try {
    const states = new Map([...source.states].map(([name, id]) => [id, name]));
    const writer = new KeyedStateFileWriter(file, {
      kind,
      checkpointId: target.checkpointId,
      operatorId: source.operatorId,
      keyGroupRange: source.keyGroupRange,
      states,
    });
    await fill(writer);
    bytes = await writer.finish();
  } catch (error) {
    await file.abort().catch(() => undefined);
    throw error;
  }
  return { path, kind, checkpointId: target.checkpointId, bytes };
}

/** `<operator>-<first key group>-<checkpoint>-<kind>-<random>.kst`, unique even across retries. */
function fileName(source: SnapshotSource, checkpointId: number, kind: KeyedStateFileKind): string {
  const operator = source.operatorId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX_NAME_PART);
  return `${operator}-${source.keyGroupRange.start}-${checkpointId}-${kind}-${randomBytes(4).toString('hex')}.kst`;
}

/**
 * Keys in byte order, for LevelDB-friendly reads. Compares latin1 strings (one char per byte, so
 * string order is byte order): far cheaper than calling `Buffer.compare` per comparison.
 */
function sortedByBytes(keys: readonly Uint8Array[]): Uint8Array[] {
  const named = keys.map((key) => ({ name: Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1'), key }));
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return named.map((n) => n.key);
}
