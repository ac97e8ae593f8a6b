/**
 * Restores keyed state from keyed-state files into a state database: for each handle, its files
 * in order (the full one, then the deltas), keeping only the entries whose key group is in the
 * target range (handles of other subtasks' ranges are how rescaling works) and remapping state
 * ids by state name to the target database's ids. Files are streamed and written in batches of
 * bounded size.
 */
import { resolveStatePath } from '../../../common/checkpoint/checkpoint-storage.ts';
import type { KeyGroupRange } from '../../../common/key-groups.ts';
import type { KeyedStateSource } from '../keyed-state-backend.ts';
import type { StateDb, StateWrite } from '../state-db.ts';
import { decodeNamespace, keyGroupAndStateId } from '../state-key-layout.ts';
import type { StoredNamespaces } from '../stored-namespaces.ts';
import { KeyedStateFileReader } from './keyed-state-file.ts';

/** Encoded bytes read from a file per write batch. */
const BATCH_BYTES = 1 << 20;

/**
 * Writes the state of `sources` that falls in `range` into `db` as the state of `operatorId`.
 * The range must hold none of the operator's entries beforehand (the backend's `open` clears
 * it). Returns how many entries the range holds afterwards, and counts them by state and
 * namespace in `namespaces` (empty beforehand): a full file's entries are all new (its keys are
 * unique), and each delta entry probes the database for the key it replaces.
 */
export async function restoreKeyedState(
  db: StateDb,
  operatorId: string,
  range: KeyGroupRange,
  sources: readonly KeyedStateSource[],
  namespaces: StoredNamespaces,
): Promise<number> {
  let stored = 0;
  for (const { root, handle } of sources) {
    if (!overlaps(handle.keyGroupRange, range)) continue;
    for (const file of handle.files) stored += await restoreFile(db, operatorId, range, resolveStatePath(root, file.path), namespaces);
  }
  return stored;
}

/** Applies one file; returns the change in the number of stored entries. */
async function restoreFile(db: StateDb, operatorId: string, range: KeyGroupRange, path: string, namespaces: StoredNamespaces): Promise<number> {
  const reader = await KeyedStateFileReader.open(path);
  try {
    const { header } = reader;
    if (header.operatorId !== operatorId) {
      throw new Error(`keyed-state file ${path} holds state of operator ${JSON.stringify(header.operatorId)}, not ${JSON.stringify(operatorId)}`);
    }
    if (!overlaps(header.keyGroupRange, range)) return 0;
    const ids = new Map<number, number>();
    for (const [fileId, name] of header.states) ids.set(fileId, db.stateId(operatorId, name));
    const delta = header.kind === 'DELTA';
    let stored = 0;
    for (;;) {
      const entries = await reader.next(BATCH_BYTES);
      if (entries === undefined) break;
      const ops: StateWrite[] = [];
      for (const { key, value } of entries) {
        const { keyGroup, stateId } = keyGroupAndStateId(key);
        if (keyGroup < range.start || keyGroup > range.end) continue;
        const id = ids.get(stateId);
        if (id === undefined) throw new Error(`keyed-state file ${path} is corrupt: state id ${stateId} is not in its header`);
        key[2] = id >>> 8;
        key[3] = id & 0xff;
        // Keys are unique within a file, so the batch being built cannot hide one from the probe.
        const existed = delta && db.getSync(key) !== undefined;
        if (value === undefined) {
          if (existed) {
            stored--;
            namespaces.removed(id, decodeNamespace(key));
          }
          ops.push({ type: 'del', key });
        } else {
          if (!existed) {
            stored++;
            namespaces.added(id, decodeNamespace(key));
          }
          ops.push({ type: 'put', key, value });
        }
      }
      await db.write(ops);
    }
    return stored;
  } finally {
    await reader.close();
  }
}

function overlaps(a: KeyGroupRange, b: KeyGroupRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}
