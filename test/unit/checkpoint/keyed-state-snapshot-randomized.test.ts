/**
 * Seeded randomized check of keyed-state snapshots against an in-memory model, with a write-back
 * cache (24 entries) far smaller than the working set (150 keys × 4 namespaces × 3 states, plus
 * timers). Deltas are written from the changes the cache records at a snapshot's synchronous
 * phase and at flushes, not from the database, while entries are evicted in between; lists and
 * accumulators are mutated in place. So every snapshot (full or delta; uploaded after more writes
 * and flushes; overlapping another; after a failed upload, an abort or a recovery) is restored
 * into a fresh database with other state ids and compared with the model as it was at that
 * snapshot's synchronous phase: every state of every key and namespace, the timers, and the
 * number of stored entries (no stale or missing keys).
 *
 * The seed fixes the operations, not when in-flight flushes complete, so a failure may need a
 * few runs to reproduce.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  ValueStateDescriptor,
  type AggregateFunction,
} from '../../../client/api/state.ts';
import type { KeyedStateHandle } from '../../../common/checkpoint/checkpoint-types.ts';
import type {
  InternalAggregatingState,
  InternalListState,
  InternalTimer,
  InternalValueState,
} from '../../../taskmanager/state/keyed-state-backend.ts';
import type { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { openTestKeyedState } from '../../support/test-keyed-state.ts';
import { mixedKeys, prng } from '../state/fixtures.ts';
import { ALL_KEY_GROUPS, fireAll, MAX_PARALLELISM, OPERATOR, restoreFrom, storedKeys, useKeyedStates } from './fixtures.ts';

const states = useKeyedStates();

const KEYS = mixedKeys(150);
const NAMESPACES = ['', 'w1', 'w2', 'w3'] as const;
const CACHE_ENTRIES = 24;
/** Keys 0..HOT_KEYS-1 in namespace HOT_NAMESPACE get a share of the steps: entries changed again soon after being recorded. */
const HOT_KEYS = 3;
const HOT_NAMESPACE = 'w1';
/** Snapshots per seed. */
const ROUNDS = 40;
/** Longest accumulator of the `recent` state: adding past it drops the oldest value, in place. */
const RECENT = 6;

/** Keeps the last RECENT values, mutating the accumulator array in place. */
const recent: AggregateFunction<number, number[], number[]> = {
  createAccumulator: () => [],
  add: (value, accumulator) => {
    accumulator.push(value);
    if (accumulator.length > RECENT) accumulator.shift();
    return accumulator;
  },
  getResult: (accumulator) => accumulator.slice(),
  merge: (a, b) => {
    for (const value of b) recent.add(value, a);
    return a;
  },
};

const DESCRIPTORS = {
  value: new ValueStateDescriptor<number>('count'),
  list: new ListStateDescriptor<string>('events'),
  recent: new AggregatingStateDescriptor<number, number[], number[]>('recent', recent),
};

interface Handles {
  readonly value: InternalValueState<number>;
  readonly list: InternalListState<string>;
  readonly recent: InternalAggregatingState<number, number[]>;
}

type Domain = 'event' | 'processing';

interface ModelTimer {
  readonly domain: Domain;
  readonly k: number;
  readonly namespace: string;
  readonly timestamp: number;
}

/** What the backend should hold; states by `${key index}|${namespace}`, timers by `fireAll`'s string. */
interface Model {
  readonly values: Map<string, number>;
  readonly lists: Map<string, string[]>;
  readonly recent: Map<string, number[]>;
  readonly timers: Map<string, ModelTimer>;
}

function keyOf(k: number): (typeof KEYS)[number] {
  const key = KEYS[k];
  if (key === undefined) throw new Error(`no key ${k}`);
  return key;
}

function timerName(domain: Domain, k: number, namespace: string, timestamp: number): string {
  return `${domain}|${JSON.stringify(keyOf(k))}|${namespace}|${timestamp}`;
}

function setNamespace(handles: Handles, namespace: string): void {
  handles.value.setCurrentNamespace(namespace);
  handles.list.setCurrentNamespace(namespace);
  handles.recent.setCurrentNamespace(namespace);
}

/** Every present state entry a backend holds, in a fixed order. */
function dumpBackend(backend: LevelDbKeyedStateBackend, handles: Handles): Record<string, unknown> {
  const dump: Record<string, unknown> = {};
  KEYS.forEach((key, k) => {
    backend.setCurrentKey(key);
    for (const namespace of NAMESPACES) {
      setNamespace(handles, namespace);
      const value = handles.value.value();
      if (value !== undefined) dump[`value|${k}|${namespace}`] = value;
      const list = handles.list.get();
      if (list.length > 0) dump[`list|${k}|${namespace}`] = list;
      const accumulator = handles.recent.get();
      if (accumulator !== undefined) dump[`recent|${k}|${namespace}`] = accumulator;
    }
  });
  return dump;
}

/** The model in `dumpBackend`'s form. */
function dumpModel(model: Model): Record<string, unknown> {
  const dump: Record<string, unknown> = {};
  KEYS.forEach((_, k) => {
    for (const namespace of NAMESPACES) {
      const slot = `${k}|${namespace}`;
      const value = model.values.get(slot);
      if (value !== undefined) dump[`value|${slot}`] = value;
      const list = model.lists.get(slot);
      if (list !== undefined) dump[`list|${slot}`] = list;
      const accumulator = model.recent.get(slot);
      if (accumulator !== undefined) dump[`recent|${slot}`] = accumulator;
    }
  });
  return dump;
}

function storedEntriesOf(model: Model): number {
  return model.values.size + model.lists.size + model.recent.size + model.timers.size;
}

/**
 * The share of the random number `step` draws for each state's operations, as [low, high): a step
 * below 0.22 changes the value state, and so on; above 0.63 it changes timers or reads.
 */
const OPERATIONS = { value: [0, 0.22], list: [0.22, 0.42], recent: [0.42, 0.63] } as const;

/** A state entry: a state of a key index in a namespace. */
interface Target {
  readonly k: number;
  readonly namespace: string;
  readonly state: keyof typeof OPERATIONS;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A snapshot whose synchronous phase ran, and what its upload must produce. */
interface Pending {
  readonly checkpointId: number;
  readonly upload: () => Promise<KeyedStateHandle>;
  /** The model at the synchronous phase. */
  readonly expected: Model;
  /** Checkpoint ids of the handle's files. */
  readonly expectedFiles: readonly number[];
  /** How the upload is made to fail, if it is. */
  readonly failure: 'blocked-dir' | 'unwritable-root' | undefined;
}

interface RunStats {
  steps: number;
  flushes: number;
  fulls: number;
  deltas: number;
  failed: number;
  /** Deltas checked whose changes include a failed snapshot's. */
  deltasOverFailures: number;
  overlaps: number;
  uploadedInReverse: number;
  /** Restores of the live backend from one of its snapshots, as after a failure. */
  recoveries: number;
  firedOnWatermark: number;
  /** Largest number of present entries (states and timers) in the model. */
  peakEntries: number;
}

async function run(seed: number): Promise<RunStats> {
  // Three streams: the steps' operations, how flushes go, and the rounds' plan (failures, overlaps,
  // recoveries). Flushes depend on when in-flight writes complete, so they draw from their own
  // stream, and the plan of the rounds is the same on every run of a seed.
  const rng = prng(seed);
  const flushRng = prng(seed + 1000);
  const planRng = prng(seed + 2000);
  const root = states.root();
  const blocker = join(root, 'blocker');
  writeFileSync(blocker, '');
  const live = await states.open({ cacheEntries: CACHE_ENTRIES });
  const { backend, timers } = live;
  const handles: Handles = {
    value: backend.getInternalValueState(DESCRIPTORS.value),
    list: backend.getInternalListState(DESCRIPTORS.list),
    recent: backend.getInternalAggregatingState(DESCRIPTORS.recent),
  };
  let model: Model = { values: new Map(), lists: new Map(), recent: new Map(), timers: new Map() };
  const stats: RunStats = {
    steps: 0,
    flushes: 0,
    fulls: 0,
    deltas: 0,
    failed: 0,
    deltasOverFailures: 0,
    overlaps: 0,
    uploadedInReverse: 0,
    recoveries: 0,
    firedOnWatermark: 0,
    peakEntries: 0,
  };
  let watermark = 0;
  let serial = 0;

  const registerTimer = (domain: Domain, k: number, namespace: string, timestamp: number): void => {
    if (domain === 'event') timers.registerEventTimeTimer(namespace, timestamp);
    else timers.registerProcessingTimeTimer(namespace, timestamp);
    model.timers.set(timerName(domain, k, namespace, timestamp), { domain, k, namespace, timestamp });
  };

  const deleteTimer = (domain: Domain): void => {
    const candidates = [...model.timers.values()].filter((timer) => timer.domain === domain);
    // Mostly a registered timer (of any key), else probably none: deleting it does nothing.
    const timer: ModelTimer =
      candidates.length > 0 && rng.next() < 0.7
        ? rng.pick(candidates)
        : { domain, k: rng.int(KEYS.length), namespace: rng.pick(NAMESPACES), timestamp: watermark + rng.int(200) };
    backend.setCurrentKey(keyOf(timer.k));
    if (domain === 'event') timers.deleteEventTimeTimer(timer.namespace, timer.timestamp);
    else timers.deleteProcessingTimeTimer(timer.namespace, timer.timestamp);
    model.timers.delete(timerName(domain, timer.k, timer.namespace, timer.timestamp));
  };

  const advanceWatermark = (): void => {
    watermark += 1 + rng.int(15);
    const fired: string[] = [];
    timers.advanceWatermark(watermark, (timer: InternalTimer) => {
      fired.push(`event|${JSON.stringify(timer.key)}|${timer.namespace}|${timer.timestamp}`);
    });
    const due = [...model.timers].filter(([, timer]) => timer.domain === 'event' && timer.timestamp <= watermark).map(([name]) => name);
    expect(fired.sort()).toEqual(due.sort());
    for (const name of due) model.timers.delete(name);
    stats.firedOnWatermark += fired.length;
  };

  /** Merges 1-2 other namespaces of the current key into `target`, in the list or the accumulator state. */
  const merge = (k: number, target: string): void => {
    const sources = NAMESPACES.filter((namespace) => namespace !== target && rng.next() < 0.5);
    const slot = (namespace: string): string => `${k}|${namespace}`;
    if (rng.next() < 0.5) {
      handles.list.mergeNamespaces(target, sources);
      const folded = sources.flatMap((namespace) => model.lists.get(slot(namespace)) ?? []);
      for (const namespace of sources) model.lists.delete(slot(namespace));
      if (folded.length > 0) model.lists.set(slot(target), [...(model.lists.get(slot(target)) ?? []), ...folded]);
    } else {
      handles.recent.mergeNamespaces(target, sources);
      const present = sources.map((namespace) => model.recent.get(slot(namespace))).filter((a) => a !== undefined);
      for (const namespace of sources) model.recent.delete(slot(namespace));
      const [first, ...rest] = present;
      if (first === undefined) return;
      const folded = rest.reduce((a, b) => recent.merge(a, b.slice()), first.slice());
      const current = model.recent.get(slot(target));
      model.recent.set(slot(target), current === undefined ? folded : recent.merge(current.slice(), folded));
    }
  };

  /** The state entries the last steps changed, newest last. */
  const lastChanged: Target[] = [];

  /**
   * One random change (or read) of a random key and namespace, applied to the backend and the
   * model; or another change of the state `at` names.
   */
  const step = (at?: Target): void => {
    stats.steps++;
    const hot = rng.next() < 0.3;
    const k = at?.k ?? (hot ? rng.int(HOT_KEYS) : rng.int(KEYS.length));
    const namespace = at?.namespace ?? (hot ? HOT_NAMESPACE : rng.pick(NAMESPACES));
    const [low, high] = at === undefined ? [0, 1] : OPERATIONS[at.state];
    const r = low + rng.next() * (high - low);
    const changed = (Object.keys(OPERATIONS) as Target['state'][]).find((state) => r < OPERATIONS[state][1]);
    if (changed !== undefined) {
      lastChanged.push({ k, namespace, state: changed });
      if (lastChanged.length > 8) lastChanged.shift();
    }
    const slot = `${k}|${namespace}`;
    backend.setCurrentKey(keyOf(k));
    setNamespace(handles, namespace);
    if (r < 0.16) {
      const value = rng.int(1000);
      handles.value.update(value);
      model.values.set(slot, value);
    } else if (r < 0.22) {
      handles.value.clear();
      model.values.delete(slot);
    } else if (r < 0.36) {
      const items = Array.from({ length: 1 + rng.int(2) }, () => `e${serial++}`);
      if (items.length === 1) handles.list.add(items[0] ?? '');
      else handles.list.addAll(items);
      model.lists.set(slot, [...(model.lists.get(slot) ?? []), ...items]);
    } else if (r < 0.4) {
      handles.list.clear();
      model.lists.delete(slot);
    } else if (r < 0.42) {
      const items = Array.from({ length: rng.int(3) }, () => `u${serial++}`);
      handles.list.update(items);
      if (items.length > 0) model.lists.set(slot, items);
      else model.lists.delete(slot);
    } else if (r < 0.56) {
      const value = serial++;
      handles.recent.add(value);
      model.recent.set(slot, recent.add(value, model.recent.get(slot)?.slice() ?? recent.createAccumulator()));
    } else if (r < 0.6) {
      handles.recent.clear();
      model.recent.delete(slot);
    } else if (r < 0.63) {
      merge(k, namespace);
    } else if (r < 0.75) {
      registerTimer('event', k, namespace, watermark - 5 + rng.int(200));
    } else if (r < 0.82) {
      deleteTimer('event');
    } else if (r < 0.85) {
      registerTimer('processing', k, namespace, rng.int(10_000));
    } else if (r < 0.87) {
      deleteTimer('processing');
    } else if (r < 0.89) {
      advanceWatermark();
    } else {
      expect(handles.value.value()).toBe(model.values.get(slot));
      expect(handles.list.get()).toEqual(model.lists.get(slot) ?? []);
      expect(handles.recent.get()).toEqual(model.recent.get(slot));
    }
    stats.peakEntries = Math.max(stats.peakEntries, storedEntriesOf(model));
  };

  /** Flushes as the task may: awaited at once, awaited after more steps, or behind the next steps. */
  const flush = async (): Promise<void> => {
    stats.flushes++;
    const r = flushRng.next();
    if (r < 0.25) {
      await backend.flush();
      // Everything is written and recorded: the cache could evict down to its limit.
      expect(backend.stats().cachedEntries).toBeLessThanOrEqual(CACHE_ENTRIES);
    } else if (r < 0.5) {
      const inFlight = backend.flush();
      for (let more = 1 + flushRng.int(6); more > 0; more--) {
        step();
        if (flushRng.next() < 0.5) await tick();
      }
      await inFlight;
    } else {
      const behind = backend.flushBehind();
      if (behind !== undefined) await behind;
    }
  };

  /**
   * Runs steps in batches of 1-8, as the task runs record batches, and flushes between batches
   * when needed. The last batch is not followed by a flush: a snapshot may begin right after it,
   * and the next call's first batch may change what that snapshot recorded before any flush.
   */
  const steps = async (count: number): Promise<void> => {
    while (count > 0) {
      for (let batch = Math.min(count, 1 + rng.int(8)); batch > 0; batch--, count--) step();
      if (count > 0 && backend.needsFlush) await flush();
    }
  };

  /** Restores a handle into a fresh database with other state ids and compares it with the model. */
  const checkRestored = async (handle: KeyedStateHandle, expected: Model): Promise<void> => {
    const restored = await openTestKeyedState({
      maxParallelism: MAX_PARALLELISM,
      keyGroupRange: ALL_KEY_GROUPS,
      operatorId: OPERATOR,
      cacheEntries: CACHE_ENTRIES,
      preregister: [
        { operatorId: 'other', name: 'x' },
        { operatorId: OPERATOR, name: 'unused' },
      ],
    });
    try {
      // Registered in another order than the live backend's, too.
      const recentState = restored.backend.getInternalAggregatingState(DESCRIPTORS.recent);
      const list = restored.backend.getInternalListState(DESCRIPTORS.list);
      const value = restored.backend.getInternalValueState(DESCRIPTORS.value);
      await restoreFrom(restored, root, [handle]);
      expect(restored.backend.db.stateId(OPERATOR, DESCRIPTORS.value.name)).not.toBe(backend.db.stateId(OPERATOR, DESCRIPTORS.value.name));
      expect((await storedKeys(restored.backend)).length).toBe(storedEntriesOf(expected));
      // The restore counts what it writes, and a key that occurs twice in one file would be counted twice.
      expect(restored.backend.stats().storedEntries).toBe(storedEntriesOf(expected));
      expect(dumpBackend(restored.backend, { value, list, recent: recentState })).toEqual(dumpModel(expected));
      const expectedTimers = [...expected.timers.values()];
      expect(restored.timers.size).toEqual({
        eventTime: expectedTimers.filter((timer) => timer.domain === 'event').length,
        processingTime: expectedTimers.filter((timer) => timer.domain === 'processing').length,
      });
      expect(fireAll(restored)).toEqual([...expected.timers.keys()].sort());
    } finally {
      await restored.dispose();
    }
  };

  /** Makes `<root>/shared` a regular file for the duration of `action`, so that an upload there fails. */
  const withSharedDirBlocked = async (action: () => Promise<void>): Promise<void> => {
    const shared = join(root, 'shared');
    const moved = join(root, 'shared.moved');
    const existed = existsSync(shared);
    if (existed) renameSync(shared, moved);
    writeFileSync(shared, '');
    try {
      await action();
    } finally {
      rmSync(shared);
      if (existed) renameSync(moved, shared);
    }
  };

  let checkpointId = 0;
  /** What the backend's next delta builds on: its newest uploaded snapshot, as far as the test knows. */
  let base: { readonly checkpointId: number; readonly handle: KeyedStateHandle } | undefined;
  const failedIds: number[] = [];
  /** The newest snapshot uploaded and checked, and the model it holds. */
  let newest: { readonly checkpointId: number; readonly handle: KeyedStateHandle; readonly expected: Model } | undefined;

  const uploadAndCheck = async (pending: Pending): Promise<void> => {
    if (pending.failure !== undefined) {
      const fail = async (): Promise<void> => {
        await expect(pending.upload()).rejects.toThrow(/ENOTDIR|EEXIST/);
      };
      if (pending.failure === 'blocked-dir') await withSharedDirBlocked(fail);
      else await fail();
      stats.failed++;
      failedIds.push(pending.checkpointId);
      return;
    }
    const handle = await pending.upload();
    expect(handle.files.map((file) => file.checkpointId)).toEqual(pending.expectedFiles);
    expect(handle.files.map((file) => file.kind)).toEqual(pending.expectedFiles.map((_, i) => (i === 0 ? 'FULL' : 'DELTA')));
    if (base === undefined || pending.checkpointId > base.checkpointId) base = { checkpointId: pending.checkpointId, handle };
    if (handle.files.length === 1) {
      stats.fulls++;
    } else {
      stats.deltas++;
      const previous = pending.expectedFiles.at(-2) ?? -1;
      if (failedIds.some((id) => id > previous && id < pending.checkpointId)) stats.deltasOverFailures++;
    }
    await checkRestored(handle, pending.expected);
    if (newest === undefined || pending.checkpointId > newest.checkpointId) newest = { checkpointId: pending.checkpointId, handle, expected: pending.expected };
  };

  let pending: Pending[] = [];
  /** Whether the last round's upload failed in the base's location: this round's snapshot must be a delta over it. */
  let afterFailedDelta = false;
  for (let round = 0; round < ROUNDS; round++) {
    await steps(20 + planRng.int(120));
    // Every 7th upload fails, taking turns: in the base's location (a delta, when there is a
    // base), or elsewhere (a full copy). When and how uploads fail does not depend on the random
    // steps, whose flushes may interleave differently from run to run.
    const failure = round % 7 === 4 ? (round % 14 === 4 && base !== undefined ? 'blocked-dir' : 'unwritable-root') : undefined;
    const full = !afterFailedDelta && planRng.next() < 0.08;
    afterFailedDelta = failure === 'blocked-dir';
    checkpointId += 1 + planRng.int(2);
    const upload = await backend.snapshot({ checkpointId, root: failure === 'unwritable-root' ? blocker : root, dir: 'shared', full });
    const expectedFiles =
      full || failure === 'unwritable-root' || base === undefined ? [checkpointId] : [...base.handle.files.map((file) => file.checkpointId), checkpointId];
    pending.push({ checkpointId, upload, expected: structuredClone(model), expectedFiles, failure });
    if (pending.length === 1 && planRng.next() < 0.25) {
      // The next snapshot begins before this one uploads.
      stats.overlaps++;
      continue;
    }
    // Writes (and flushes) after the synchronous phase must not reach the file: first, often,
    // changes of what the snapshot has just recorded and no flush has written yet.
    if (lastChanged.length > 0 && planRng.next() < 0.5) for (let again = 1 + planRng.int(4); again > 0; again--) step(planRng.pick(lastChanged));
    if (planRng.next() < 0.6) await steps(1 + planRng.int(40));
    if (pending.length === 2 && planRng.next() < 0.5) {
      pending.reverse();
      stats.uploadedInReverse++;
    }
    for (const snapshot of pending) await uploadAndCheck(snapshot);
    pending = [];
    if (base !== undefined && !afterFailedDelta && planRng.next() < 0.04) {
      // The checkpoint of the base is aborted: the next snapshot is full again.
      backend.notifyCheckpointAborted(base.checkpointId);
      base = undefined;
    }
    if (newest !== undefined && !afterFailedDelta && ((round >= ROUNDS / 2 && stats.recoveries === 0) || planRng.next() < 0.1)) {
      // The task fails and recovers from its newest snapshot: the model goes back to it, and the
      // backend starts over (its next snapshot is full, and tracks changes again from there).
      await backend.flush();
      await restoreFrom(live, root, [newest.handle]);
      model = structuredClone(newest.expected);
      base = undefined;
      lastChanged.length = 0;
      stats.recoveries++;
    }
  }
  for (const snapshot of pending) await uploadAndCheck(snapshot);

  await backend.flush();
  expect(backend.stats().cachedEntries).toBeLessThanOrEqual(CACHE_ENTRIES);
  expect(dumpBackend(backend, handles)).toEqual(dumpModel(model));
  expect(fireAll(live)).toEqual([...model.timers.keys()].sort());
  return stats;
}

describe('keyed-state snapshots, randomized against a model', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`restores every snapshot as of its synchronous phase (seed ${seed})`, async () => {
      const stats = await run(seed);
      // The run did real work: a working set far beyond the cache, many deltas and flushes, and every special path.
      expect(stats.steps).toBeGreaterThan(3000);
      expect(stats.peakEntries).toBeGreaterThan(20 * CACHE_ENTRIES);
      expect(stats.deltas).toBeGreaterThanOrEqual(15);
      expect(stats.fulls).toBeGreaterThanOrEqual(2);
      expect(stats.flushes).toBeGreaterThanOrEqual(200);
      expect(stats.failed).toBeGreaterThanOrEqual(4);
      expect(stats.deltasOverFailures).toBeGreaterThanOrEqual(1);
      expect(stats.overlaps).toBeGreaterThanOrEqual(1);
      expect(stats.uploadedInReverse).toBeGreaterThanOrEqual(1);
      expect(stats.recoveries).toBeGreaterThanOrEqual(1);
      expect(stats.firedOnWatermark).toBeGreaterThan(0);
    });
  }
});
