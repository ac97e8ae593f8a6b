/**
 * The asynchronous part of a keyed-state snapshot: writes one keyed-state file (see
 * keyed-state-file.ts), either every entry of an operator's states in a key-group range, read
 * from a LevelDB snapshot (full), or the last write of each key changed since the base (delta),
 * as the state cache recorded it. Neither reads what the task writes meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { createAtomicFile, resolveStatePath } from '../../../common/checkpoint/checkpoint-storage.ts';
import type { KeyedStateFile, KeyedStateFileKind } from '../../../common/checkpoint/checkpoint-types.ts';
import type { KeyGroupRange } from '../../../common/key-groups.ts';
import type { StateDb, StateDbSnapshot } from '../state-db.ts';
import { KeyedStateFileWriter } from './keyed-state-file.ts';
import { StateChangeSet } from './state-change-set.ts';

/** Whose state a file holds: one operator's states in a key-group range. */
export interface SnapshotSubject {
  readonly operatorId: string;
  readonly keyGroupRange: KeyGroupRange;
  /** The operator's states at the time of the snapshot: name → id. */
  readonly states: ReadonlyMap<string, number>;
}

/** What a full snapshot reads: the subject's entries as of a LevelDB snapshot. */
export interface SnapshotSource extends SnapshotSubject {
  readonly db: StateDb;
  readonly snapshot: StateDbSnapshot;
}

/** Where a file goes and which checkpoint writes it. */
export interface SnapshotTarget {
  readonly checkpointId: number;
  /** Absolute storage root. */
  readonly root: string;
  /** Sub-directory of the root for the file. */
  readonly dir: string;
}

/** Longest operator id part of a file name. */
const MAX_NAME_PART = 64;

/** Writes a full file: every entry of the source's states in its key-group range. */
export async function writeFullFile(source: SnapshotSource, target: SnapshotTarget): Promise<KeyedStateFile> {
  return writeFile(source, target, 'FULL', async (writer) => {
    const ids = [...source.states.values()];
    for await (const entries of source.db.scanEntries(ids, source.keyGroupRange, { snapshot: source.snapshot })) {
      for (const [key, value] of entries) writer.add(key, value);
      await writer.drain();
    }
  });
}

/**
 * Writes a file from recorded changes: each changed key once, with its latest value (later sets
 * win) or, in a delta, a tombstone. A full file holds every change since the state was empty, so
 * its deletes (of keys put and deleted since) are left out. The keys must be the subject's (its
 * operator, its key-group range).
 */
export async function writeChangesFile(
  subject: SnapshotSubject,
  target: SnapshotTarget,
  changes: readonly StateChangeSet[],
  kind: KeyedStateFileKind,
): Promise<KeyedStateFile> {
  const { bytes, count } = StateChangeSet.latest(changes, kind === 'FULL');
  return writeFile(subject, target, kind, (writer) => writer.addEncoded(bytes, count));
}

async function writeFile(
  source: SnapshotSubject,
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

/** `<operator>-<first key group>-<checkpoint>-<full|delta>-<random>.kst`, unique even across retries. */
function fileName(source: SnapshotSubject, checkpointId: number, kind: KeyedStateFileKind): string {
  const operator = source.operatorId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX_NAME_PART);
  return `${operator}-${source.keyGroupRange.start}-${checkpointId}-${kind.toLowerCase()}-${randomBytes(4).toString('hex')}.kst`;
}
