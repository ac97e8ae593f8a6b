/** What a pool's new SPU set changes against its previous one. */
import { compareIds, idKey, type Id } from './ids.ts';

/** The SPUs added and removed, each ascending, and the new set, ascending and without duplicates. */
export interface PoolDiff {
  readonly added: Id[];
  readonly removed: Id[];
  readonly next: Id[];
}

/** Compares the previous set with the new one. */
export function diffPool(previous: readonly Id[], incoming: readonly Id[]): PoolDiff {
  const before = new Set(previous.map(idKey));
  const seen = new Set<string>();
  const next: Id[] = [];
  for (const id of incoming) {
    const key = idKey(id);
    if (seen.has(key)) continue;
    seen.add(key);
    next.push(id);
  }
  next.sort(compareIds);
  const added = next.filter((id) => !before.has(idKey(id)));
  const removed = previous.filter((id) => !seen.has(idKey(id))).sort(compareIds);
  return { added, removed, next };
}
