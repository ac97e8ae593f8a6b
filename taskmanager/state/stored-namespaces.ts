/**
 * How many entries the state database holds per state and namespace, for one keyed backend's
 * key-group range: what lets the write-back cache skip the database read of a miss in a
 * namespace it holds nothing of (the first access to each key of a new window, say). Kept exact
 * by the cache's writes and by restores; a namespace leaves when its last entry is deleted.
 */
export class StoredNamespaces {
  private readonly byState = new Map<number, Map<string, number>>();

  /** Whether the database may hold entries of a state in a namespace. */
  mayHold(stateId: number, namespace: string): boolean {
    return this.byState.get(stateId)?.has(namespace) === true;
  }

  /** Counts an entry written where none was. */
  added(stateId: number, namespace: string): void {
    let counts = this.byState.get(stateId);
    if (counts === undefined) {
      counts = new Map();
      this.byState.set(stateId, counts);
    }
    counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
  }

  /** Counts an entry deleted. */
  removed(stateId: number, namespace: string): void {
    const counts = this.byState.get(stateId);
    const count = counts?.get(namespace);
    if (counts === undefined || count === undefined) return;
    if (count > 1) counts.set(namespace, count - 1);
    else counts.delete(namespace);
  }

  /** Forgets states whose entries were all deleted. */
  dropStates(stateIds: Iterable<number>): void {
    for (const id of stateIds) this.byState.delete(id);
  }

  /** Forgets everything: the range holds nothing. */
  clear(): void {
    this.byState.clear();
  }
}
