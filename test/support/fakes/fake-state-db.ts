/**
 * An in-memory state database for the write-back cache's tests: what the cache uses of `StateDb`
 * (`getSync`, `write`), over a map of hex-encoded keys. Batches apply atomically. Writes can be
 * held (`holdWrites`) so that a test decides when each batch lands, and made to fail (`failNext`),
 * so that a flush's rollback can be checked; a failed batch applies nothing.
 */
import type { CacheDatabase } from '../../../taskmanager/state/write-back-cache.ts';
import type { StateWrite } from '../../../taskmanager/state/state-db.ts';

/** A batch written while writes are held, waiting for `release`. */
interface HeldWrite {
  readonly ops: readonly StateWrite[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** The hex form of a key, as `contents` names it. */
export function hexKey(key: Uint8Array): string {
  return Buffer.from(key).toString('hex');
}

/** See the module comment. */
export class FakeStateDb implements CacheDatabase {
  private readonly entries = new Map<string, Uint8Array>();
  private readonly held: HeldWrite[] = [];
  private failures = 0;
  /** While true, `write` waits for `release`; while false, it lands on the next microtask. */
  holdWrites = false;
  /** Calls of `getSync`. */
  reads = 0;
  /** Every batch landed (applied or failed), oldest first. */
  readonly landed: (readonly StateWrite[])[] = [];

  getSync(key: Uint8Array): Uint8Array | undefined {
    this.reads++;
    const value = this.entries.get(hexKey(key));
    return value === undefined ? undefined : Uint8Array.prototype.slice.call(value);
  }

  write(ops: readonly StateWrite[]): Promise<void> {
    // Copied now: the caller may reuse its buffers once the call returned.
    const copy = ops.map((op): StateWrite => (op.type === 'put' ? { type: 'put', key: op.key.slice(), value: op.value.slice() } : { type: 'del', key: op.key.slice() }));
    return new Promise<void>((resolve, reject) => {
      const write: HeldWrite = { ops: copy, resolve, reject };
      if (this.holdWrites) this.held.push(write);
      else queueMicrotask(() => this.land(write));
    });
  }

  /** Makes the next `count` batches that land fail, applying nothing. */
  failNext(count = 1): void {
    this.failures += count;
  }

  /** Batches waiting for `release`. */
  get pendingWrites(): number {
    return this.held.length;
  }

  /** Lands the oldest held batch (applied, or failed if `failNext` asked); false when none waits. */
  release(): boolean {
    const write = this.held.shift();
    if (write === undefined) return false;
    this.land(write);
    return true;
  }

  /** Stops holding writes and lands every held one, in order. */
  releaseAll(): void {
    this.holdWrites = false;
    while (this.release());
  }

  /** Deletes every key of a state (its id is the key's bytes 2 and 3); returns how many. */
  deleteState(stateId: number): number {
    let deleted = 0;
    for (const key of this.entries.keys()) {
      if (Number.parseInt(key.slice(4, 8), 16) !== stateId) continue;
      this.entries.delete(key);
      deleted++;
    }
    return deleted;
  }

  /** What the database holds: hex key → hex value. */
  contents(): Map<string, string> {
    return new Map([...this.entries].map(([key, value]) => [key, Buffer.from(value).toString('hex')]));
  }

  private land(write: HeldWrite): void {
    this.landed.push(write.ops);
    if (this.failures > 0) {
      this.failures--;
      write.reject(new Error(`fake state db: injected failure of a batch of ${write.ops.length} writes`));
      return;
    }
    for (const op of write.ops) {
      if (op.type === 'put') this.entries.set(hexKey(op.key), op.value);
      else this.entries.delete(hexKey(op.key));
    }
    write.resolve();
  }
}
