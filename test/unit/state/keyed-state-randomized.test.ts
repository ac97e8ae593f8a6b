/**
 * Every state kind against a plain in-memory model, with a cache much smaller than the working
 * set (so that values are evicted and read back from LevelDB all the time) and flushes whenever
 * the backend asks, as the task does. Every read is checked against the model; at the end a fresh
 * backend (empty cache) must read the same from the database.
 */
import { describe, expect, it } from 'vitest';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../../client/api/state.ts';
import type { KeyValue } from '../../../common/key-groups.ts';
import { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { ALL_KEY_GROUPS, MAX_PARALLELISM, mixedKeys, openBackend, prng, useStateDbs } from './fixtures.ts';

const KEYS = mixedKeys(300);
const NAMESPACES = ['', 'w-1', 'w-2', 'w\u0000odd', 'ns-ü'];
const OPERATIONS = 4000;
const CACHE = { maxEntries: 32, dirtyThreshold: 16 };

const dbs = useStateDbs();

/** The model: (key, namespace) → value. */
class Model<V> {
  private readonly values = new Map<string, V>();
  private static id(key: KeyValue, namespace: string): string {
    return JSON.stringify([key, namespace]);
  }
  get(key: KeyValue, namespace: string): V | undefined {
    return this.values.get(Model.id(key, namespace));
  }
  set(key: KeyValue, namespace: string, value: V | undefined): void {
    if (value === undefined) this.values.delete(Model.id(key, namespace));
    else this.values.set(Model.id(key, namespace), value);
  }
  get size(): number {
    return this.values.size;
  }
  /** What `mergeNamespaces(target, sources)` does: folds the sources (in order) into the target and clears them. */
  merge(key: KeyValue, target: string, sources: readonly string[], combine: (a: V, b: V) => V): void {
    let folded: V | undefined;
    for (const source of sources) {
      if (source === target) continue;
      const value = this.get(key, source);
      if (value === undefined) continue;
      folded = folded === undefined ? value : combine(folded, value);
      this.set(key, source, undefined);
    }
    if (folded === undefined) return;
    const current = this.get(key, target);
    this.set(key, target, current === undefined ? folded : combine(current, folded));
  }
}

/** One random step: sets key and namespace, runs one operation, returns nothing (checks inside). */
type Step = (key: KeyValue, namespace: string, random: ReturnType<typeof prng>) => void;

/** Runs random steps with periodic flushes, then re-reads everything through a fresh backend. */
async function run(
  seed: number,
  model: { readonly size: number },
  setup: (backend: LevelDbKeyedStateBackend) => { step: Step; check: (key: KeyValue, namespace: string) => void },
): Promise<void> {
  const db = await dbs.open();
  const backend = await openBackend(db, { cache: CACHE });
  const { step } = setup(backend);
  const random = prng(seed);
  let flushes = 0;
  const randomStep = (): void => {
    const key = random.pick(KEYS);
    const namespace = random.pick(NAMESPACES);
    backend.setCurrentKey(key);
    step(key, namespace, random);
  };
  for (let i = 0; i < OPERATIONS; i++) {
    randomStep();
    if (backend.needsFlush) {
      const flush = backend.flush();
      flushes++;
      // Sometimes keep working while the batch is in flight (a mailbox may run timers meanwhile).
      const during = random.int(3) === 0 ? random.int(8) : 0;
      for (let j = 0; j < during; j++, i++) randomStep();
      await flush;
      if (during === 0) expect(backend.stats().cachedEntries).toBeLessThanOrEqual(CACHE.maxEntries);
    }
  }
  await backend.flush();
  expect(flushes).toBeGreaterThan(50);
  expect(backend.stats().storedEntries).toBe(model.size);

  const fresh = new LevelDbKeyedStateBackend({ db, operatorId: 'op', maxParallelism: MAX_PARALLELISM, keyGroupRange: ALL_KEY_GROUPS, cache: CACHE });
  const { check } = setup(fresh);
  for (const key of KEYS) {
    fresh.setCurrentKey(key);
    for (const namespace of NAMESPACES) check(key, namespace);
  }
}

describe('keyed state against a model, with a cache smaller than the working set', () => {
  it('value state', async () => {
    const model = new Model<{ n: number; s: string }>();
    await run(1, model, (backend) => {
      const state = backend.getInternalValueState(new ValueStateDescriptor<{ n: number; s: string }>('v'));
      const check = (key: KeyValue, namespace: string): void => {
        state.setCurrentNamespace(namespace);
        expect(state.value()).toEqual(model.get(key, namespace));
      };
      return {
        check,
        step(key, namespace, random) {
          state.setCurrentNamespace(namespace);
          const op = random.int(10);
          if (op < 4) {
            const current = state.value();
            expect(current).toEqual(model.get(key, namespace));
            const next = { n: (current?.n ?? 0) + 1, s: `${current?.s ?? ''}x`.slice(-20) };
            state.update(next);
            model.set(key, namespace, next);
          } else if (op < 6) {
            const value = { n: random.int(1000), s: 'fresh' };
            state.update(value);
            model.set(key, namespace, value);
          } else if (op < 7) {
            state.clear();
            model.set(key, namespace, undefined);
          } else if (op < 8) {
            state.update(undefined);
            model.set(key, namespace, undefined);
          } else {
            check(key, namespace);
          }
        },
      };
    });
  });

  it('value state with a default value', async () => {
    const db = await dbs.open();
    const backend = await openBackend(db, { cache: CACHE });
    const state = backend.getState(new ValueStateDescriptor('count', { defaultValue: 0 }));
    const model = new Map<KeyValue, number>();
    const random = prng(7);
    for (let i = 0; i < 2000; i++) {
      const key = random.pick(KEYS);
      backend.setCurrentKey(key);
      const value = state.value();
      expect(value).toBe(model.get(key) ?? 0);
      state.update((value ?? 0) + 1);
      model.set(key, (value ?? 0) + 1);
      if (backend.needsFlush) await backend.flush();
    }
  });

  it('list state, with namespace merges', async () => {
    const model = new Model<number[]>();
    await run(2, model, (backend) => {
      const state = backend.getInternalListState(new ListStateDescriptor<number>('l'));
      const check = (key: KeyValue, namespace: string): void => {
        state.setCurrentNamespace(namespace);
        expect(state.get()).toEqual(model.get(key, namespace) ?? []);
      };
      return {
        check,
        step(key, namespace, random) {
          state.setCurrentNamespace(namespace);
          const current = model.get(key, namespace) ?? [];
          const op = random.int(12);
          if (op < 4) {
            const value = random.int(100);
            state.add(value);
            model.set(key, namespace, [...current, value]);
          } else if (op < 5) {
            const values = Array.from({ length: random.int(3) }, () => random.int(100));
            state.addAll(values);
            model.set(key, namespace, current.concat(values).length === 0 ? undefined : current.concat(values));
          } else if (op < 6) {
            const values = Array.from({ length: random.int(3) }, () => random.int(100));
            state.update(values);
            model.set(key, namespace, values.length === 0 ? undefined : values);
          } else if (op < 7) {
            state.clear();
            model.set(key, namespace, undefined);
          } else if (op < 8) {
            const target = random.pick(NAMESPACES);
            const sources = [random.pick(NAMESPACES), random.pick(NAMESPACES)].filter((s, i, all) => all.indexOf(s) === i);
            state.mergeNamespaces(target, sources);
            let merged = model.get(key, target) ?? [];
            for (const source of sources) {
              if (source === target) continue;
              merged = merged.concat(model.get(key, source) ?? []);
              model.set(key, source, undefined);
            }
            model.set(key, target, merged.length === 0 ? undefined : merged);
          } else if (op < 9) {
            const got = state.get();
            got.push(-1);
            check(key, namespace);
          } else {
            check(key, namespace);
          }
        },
      };
    });
  });

  it('map state, keeping number and string keys apart', async () => {
    const model = new Model<Map<string | number, string>>();
    await run(3, model, (backend) => {
      const state = backend.getInternalMapState(new MapStateDescriptor<string | number, string>('m'));
      const userKeys: (string | number)[] = [1, '1', 2, '2', 'a', 'b', 0, -3];
      const check = (key: KeyValue, namespace: string): void => {
        state.setCurrentNamespace(namespace);
        const expected = model.get(key, namespace);
        expect(state.entries()).toEqual(expected ? [...expected] : []);
        expect(state.keys()).toEqual(expected ? [...expected.keys()] : []);
        expect(state.values()).toEqual(expected ? [...expected.values()] : []);
        expect(state.isEmpty()).toBe(expected === undefined);
      };
      return {
        check,
        step(key, namespace, random) {
          state.setCurrentNamespace(namespace);
          const current = new Map(model.get(key, namespace));
          const userKey = random.pick(userKeys);
          const op = random.int(12);
          if (op < 4) {
            const value = `v${random.int(50)}`;
            state.put(userKey, value);
            current.set(userKey, value);
            model.set(key, namespace, current);
          } else if (op < 5) {
            const entries: [string | number, string][] = [[userKey, 'all'], [random.pick(userKeys), 'all2']];
            state.putAll(entries);
            for (const [k, v] of entries) current.set(k, v);
            model.set(key, namespace, current);
          } else if (op < 7) {
            state.remove(userKey);
            current.delete(userKey);
            model.set(key, namespace, current.size === 0 ? undefined : current);
          } else if (op < 8) {
            state.clear();
            model.set(key, namespace, undefined);
          } else if (op < 10) {
            expect(state.get(userKey)).toBe(current.get(userKey));
            expect(state.contains(userKey)).toBe(current.has(userKey));
          } else if (op < 11) {
            const entries = state.entries();
            entries.push(['x', 'y']);
            const first = entries[0];
            if (first) first[1] = 'mutated';
            check(key, namespace);
          } else {
            check(key, namespace);
          }
        },
      };
    });
  });

  it('reducing state, with namespace merges in order', async () => {
    const model = new Model<string>();
    await run(4, model, (backend) => {
      const state = backend.getInternalReducingState(new ReducingStateDescriptor<string>('r', (a, b) => `${a}${b}`.slice(-24)));
      const check = (key: KeyValue, namespace: string): void => {
        state.setCurrentNamespace(namespace);
        expect(state.get()).toBe(model.get(key, namespace));
      };
      return {
        check,
        step(key, namespace, random) {
          state.setCurrentNamespace(namespace);
          const op = random.int(10);
          if (op < 5) {
            const value = String.fromCharCode(97 + random.int(26));
            state.add(value);
            const current = model.get(key, namespace);
            model.set(key, namespace, current === undefined ? value : `${current}${value}`.slice(-24));
          } else if (op < 6) {
            state.clear();
            model.set(key, namespace, undefined);
          } else if (op < 8) {
            const target = random.pick(NAMESPACES);
            const sources = NAMESPACES.filter(() => random.next() < 0.4);
            state.mergeNamespaces(target, sources);
            model.merge(key, target, sources, (a, b) => `${a}${b}`.slice(-24));
          } else {
            check(key, namespace);
          }
        },
      };
    });
  });

  it('aggregating state, with accumulators changed in place and namespace merges', async () => {
    interface Acc {
      count: number;
      text: string;
    }
    const model = new Model<Acc>();
    await run(5, model, (backend) => {
      const state = backend.getInternalAggregatingState(
        new AggregatingStateDescriptor<string, Acc, string>('a', {
          createAccumulator: () => ({ count: 0, text: '' }),
          add(value, acc) {
            acc.count++;
            acc.text = `${acc.text}${value}`.slice(-16);
            return acc;
          },
          getResult: (acc) => `${acc.count}:${acc.text}`,
          merge: (a, b) => ({ count: a.count + b.count, text: `${a.text}${b.text}`.slice(-16) }),
        }),
      );
      const result = (acc: Acc | undefined): string | undefined => (acc === undefined ? undefined : `${acc.count}:${acc.text}`);
      const check = (key: KeyValue, namespace: string): void => {
        state.setCurrentNamespace(namespace);
        expect(state.get()).toBe(result(model.get(key, namespace)));
      };
      return {
        check,
        step(key, namespace, random) {
          state.setCurrentNamespace(namespace);
          const op = random.int(10);
          if (op < 5) {
            const value = String.fromCharCode(65 + random.int(26));
            state.add(value);
            const current = model.get(key, namespace) ?? { count: 0, text: '' };
            model.set(key, namespace, { count: current.count + 1, text: `${current.text}${value}`.slice(-16) });
          } else if (op < 6) {
            state.clear();
            model.set(key, namespace, undefined);
          } else if (op < 8) {
            const target = random.pick(NAMESPACES);
            const sources = NAMESPACES.filter(() => random.next() < 0.4);
            state.mergeNamespaces(target, sources);
            model.merge(key, target, sources, (a, b) => ({ count: a.count + b.count, text: `${a.text}${b.text}`.slice(-16) }));
          } else {
            check(key, namespace);
          }
        },
      };
    });
  });
});
