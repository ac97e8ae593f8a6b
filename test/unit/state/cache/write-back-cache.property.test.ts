/**
 * The write-back cache against a plain model, over an in-memory database that holds every batch
 * until the test lands or fails it: random reads, writes, blind writes, in-place appends, deletes
 * and cleared namespaces of two states, interleaved with flushes (awaited or behind), batches
 * landing or failing (rolled back), snapshots and dropped states. Every read must see the model;
 * every change set taken, applied to the snapshot before it, must hold exactly what the model
 * holds; once every batch landed, the database must too, and a cache of its own must read it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignToKeyGroup, type KeyValue } from '../../../../common/key-groups.ts';
import { readVarint } from '../../../../common/varint.ts';
import { StateChangeSet } from '../../../../taskmanager/state/snapshot/state-change-set.ts';
import { keyId, StateKeyEncoder } from '../../../../taskmanager/state/state-key-layout.ts';
import { encodeStateValue } from '../../../../taskmanager/state/state-value-codec.ts';
import { StoredNamespaces } from '../../../../taskmanager/state/stored-namespaces.ts';
import { WriteBackCache, type CachedState, type WriteBackCacheOptions } from '../../../../taskmanager/state/write-back-cache.ts';
import { budget, FUZZ_TIMEOUT_MS } from '../../../fuzz/fuzz-budget.ts';
import { FakeStateDb } from '../../../support/fakes/fake-state-db.ts';

const MAX_PARALLELISM = 128;
const STATES: readonly CachedState[] = [1, 2].map((id) => ({ id, withTtl: false, toPlain: (v: unknown) => v, fromPlain: (v: unknown) => v }));
const KEYS: readonly KeyValue[] = ['a', 'b', 7, ['t', 1], 'e', 12];
const NAMESPACES = ['w1', 'w2', 'w3'];

type Cell = { readonly s: number; readonly k: number; readonly n: number };
type Op =
  | (Cell & { readonly kind: 'get' })
  | (Cell & { readonly kind: 'put' | 'append'; readonly v: number; readonly blind: boolean })
  | (Cell & { readonly kind: 'delete'; readonly blind: boolean })
  | { readonly kind: 'clearNamespace'; readonly s: number; readonly n: number }
  | { readonly kind: 'dropState'; readonly s: number }
  | { readonly kind: 'flush' | 'flushBehind' | 'land' | 'fail' | 'snapshot' | 'fullSnapshot' | 'settle' };

const cell = { s: fc.nat(STATES.length - 1), k: fc.nat(KEYS.length - 1), n: fc.nat(NAMESPACES.length - 1) };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('get' as const), ...cell }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('put' as const, 'append' as const), ...cell, v: fc.integer({ min: -5, max: 3000 }), blind: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), ...cell, blind: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clearNamespace' as const), s: cell.s, n: cell.n }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropState' as const), s: cell.s }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom('flush' as const, 'flushBehind' as const, 'land' as const, 'fail' as const, 'snapshot' as const, 'fullSnapshot' as const, 'settle' as const) }) },
);
const scenario = fc.record({
  options: fc.record({
    maxEntries: fc.integer({ min: 2, max: 12 }),
    maxBytes: fc.constantFrom(48, 200, 1 << 20),
    dirtyThreshold: fc.integer({ min: 1, max: 12 }),
    maxChangeBytes: fc.constantFrom(150, 1 << 20),
  }),
  /** Whether the cache is told what the database holds (as after open), so that misses skip reads. */
  knowsNamespaces: fc.boolean(),
  ops: fc.array(op, { minLength: 1, maxLength: 150, size: 'max' }),
});

const encoder = new StateKeyEncoder();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const keyGroupOf = (key: KeyValue): number => assignToKeyGroup(key, MAX_PARALLELISM);
const stateKeyHex = (c: Cell): string => hex(encoder.encode(keyGroupOf(KEYS[c.k]!), STATES[c.s]!.id, KEYS[c.k]!, NAMESPACES[c.n]!, undefined));
/** Lets every continuation of landed batches run (the next batch of a chain starts there). */
const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The entries of a change set, key by key, with its latest write; a key twice means `latest` missed a repeat. */
function changes(set: StateChangeSet): Map<string, string | undefined> {
  const bytes = StateChangeSet.latest([set]).bytes;
  const out = new Map<string, string | undefined>();
  const cursor = { at: 0 };
  while (cursor.at < bytes.length) {
    const keyLength = readVarint(bytes, cursor);
    const key = hex(bytes.subarray(cursor.at, cursor.at + keyLength));
    cursor.at += keyLength;
    const valueLength = readVarint(bytes, cursor);
    const value = valueLength === 0 ? undefined : hex(bytes.subarray(cursor.at, cursor.at + valueLength - 1));
    cursor.at += Math.max(0, valueLength - 1);
    if (out.has(key)) throw new Error(`key ${key} occurs twice in the latest writes of a change set`);
    out.set(key, value);
  }
  return out;
}

/** One scenario: the cache, its database, the model and the snapshots' content. */
class Run {
  readonly db = new FakeStateDb();
  readonly cache: WriteBackCache;
  private readonly model = new Map<string, { readonly c: Cell; value: unknown }>();
  /** What the snapshots taken so far hold, with the changes recorded since; undefined while untracked. */
  private snapshot: Map<string, string> | undefined = new Map();
  private readonly flushes: Promise<void>[] = [];
  readonly unexpected: unknown[] = [];

  constructor(
    readonly options: WriteBackCacheOptions,
    knowsNamespaces: boolean,
  ) {
    this.cache = new WriteBackCache(this.db, options);
    if (knowsNamespaces) this.cache.reset(0, new StoredNamespaces());
    this.cache.startTracking();
    this.db.holdWrites = true;
  }

  async step(o: Op): Promise<void> {
    switch (o.kind) {
      case 'get':
        expect(this.cache.lookup(...this.at(o)).value, `read of ${JSON.stringify(o)}`).toEqual(this.value(o));
        return;
      case 'put':
        return this.put(o, o.v, o.blind);
      case 'append': {
        const entry = this.cache.lookup(...this.at(o));
        if (Array.isArray(entry.value)) {
          (entry.value as number[]).push(o.v);
          this.cache.touch(entry, 0);
          (this.value(o) as number[]).push(o.v);
        } else this.put(o, [o.v], o.blind);
        return;
      }
      case 'delete':
        return this.put(o, undefined, o.blind);
      case 'clearNamespace':
        for (let k = 0; k < KEYS.length; k++) this.put({ s: o.s, k, n: o.n }, undefined, true);
        return;
      case 'dropState':
        return this.dropState(o.s);
      case 'flush':
        this.track(this.cache.flush());
        return;
      case 'flushBehind':
        if (!this.cache.needsFlush) return;
        try {
          const flushing = this.cache.flushBehind();
          if (flushing !== undefined) this.track(flushing);
        } catch (error) {
          this.expectInjected(error);
        }
        return;
      case 'land':
      case 'fail':
        if (o.kind === 'fail' && this.db.pendingWrites > 0) this.db.failNext();
        this.db.release();
        await drain();
        return;
      case 'snapshot':
        return this.takeSnapshot();
      case 'fullSnapshot':
        await this.settle();
        this.cache.takeChanges();
        if (!this.cache.trackingChanges) this.cache.startTracking();
        this.snapshot = this.db.contents();
        expect(this.snapshot).toEqual(this.expected());
        return;
      case 'settle':
        return this.settle();
    }
  }

  /** Takes the changes recorded since the last snapshot and checks the snapshot they make. */
  takeSnapshot(): void {
    if (!this.cache.trackingChanges) {
      this.snapshot = undefined;
      return;
    }
    const snapshot = this.snapshot;
    expect(snapshot, 'changes are tracked only from a snapshot').toBeDefined();
    for (const [key, value] of changes(this.cache.takeChanges())) {
      if (value === undefined) snapshot?.delete(key);
      else snapshot?.set(key, value);
    }
    expect(snapshot).toEqual(this.expected());
  }

  /** Lands every batch, flushes until the database holds every change, and checks it does. */
  async settle(): Promise<void> {
    this.db.releaseAll();
    await Promise.all(this.flushes.splice(0));
    do await this.cache.flush();
    while (!this.cache.clean);
    this.db.holdWrites = true;
    expect(this.db.contents()).toEqual(this.expected());
    expect(this.cache.storedEntries).toBe(this.model.size);
    expect(this.cache.needsFlush).toBe(false);
  }

  /** Like the timer service's open: the state's entries are deleted in the database and dropped from the cache. */
  private async dropState(s: number): Promise<void> {
    await this.settle();
    this.cache.stopTracking();
    this.snapshot = undefined;
    this.cache.drop(new Set([STATES[s]!.id]), this.db.deleteState(STATES[s]!.id));
    for (const [id, { c }] of this.model) if (c.s === s) this.model.delete(id);
  }

  private put(c: Cell, value: unknown, blind: boolean): void {
    if (blind) this.cache.writeBlind(...this.at(c), value, 0);
    else this.cache.write(this.cache.lookup(...this.at(c)), value, 0);
    const id = stateKeyHex(c);
    if (value === undefined) this.model.delete(id);
    else this.model.set(id, { c, value: Array.isArray(value) ? [...(value as number[])] : value });
  }

  private at(c: Cell): [CachedState, number, KeyValue, string | number, string, undefined] {
    const key = KEYS[c.k]!;
    return [STATES[c.s]!, keyGroupOf(key), key, keyId(key), NAMESPACES[c.n]!, undefined];
  }

  private value(c: Cell): unknown {
    return this.model.get(stateKeyHex(c))?.value;
  }

  /** What the database and the snapshots must hold: hex key → hex encoded value. */
  expected(): Map<string, string> {
    return new Map([...this.model].map(([id, { value }]) => [id, hex(encodeStateValue(value, false, 0))]));
  }

  private track(flush: Promise<void>): void {
    this.flushes.push(flush.catch((error: unknown) => this.expectInjected(error)));
  }

  private expectInjected(error: unknown): void {
    if (!(error instanceof Error && error.message.startsWith('fake state db: injected failure'))) this.unexpected.push(error);
  }

  /** A cache of its own over the database reads what the model holds. */
  checkFreshReads(): void {
    const fresh = new WriteBackCache(this.db);
    for (let s = 0; s < STATES.length; s++) {
      for (let k = 0; k < KEYS.length; k++) {
        for (let n = 0; n < NAMESPACES.length; n++) expect(fresh.lookup(...this.at({ s, k, n })).value).toEqual(this.value({ s, k, n }));
      }
    }
  }
}

describe('write-back cache, property', () => {
  it(
    'reads, snapshots and the database agree with a model through flushes, failed batches and evictions',
    async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ options, knowsNamespaces, ops }) => {
          const run = new Run(options, knowsNamespaces);
          for (const o of ops) await run.step(o);
          run.takeSnapshot();
          await run.settle();
          run.takeSnapshot();
          run.checkFreshReads();
          expect(run.unexpected).toEqual([]);
        }),
        budget(0.5),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
