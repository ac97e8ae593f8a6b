/**
 * Shared by the keyed-state checkpoint tests: keyed states and storage roots in temporary
 * directories (removed after each test), a set of states of every kind, and ways to read back
 * everything a backend holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ValueStateDescriptor,
} from '../../../client/api/state.ts';
import type { KeyedStateHandle } from '../../../common/checkpoint/checkpoint-types.ts';
import { assignToKeyGroup, type KeyGroupRange, type KeyValue } from '../../../common/key-groups.ts';
import type { InternalTimer, KeyedSnapshotOptions } from '../../../taskmanager/state/keyed-state-backend.ts';
import type { LevelDbKeyedStateBackend } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { decodeStateKey, type DecodedStateKey } from '../../../taskmanager/state/state-key-layout.ts';
import { openTestKeyedState, type TestKeyedState } from '../../support/test-keyed-state.ts';

/** Max parallelism of the tests' backends. */
export const MAX_PARALLELISM = 128;
/** Every key group. */
export const ALL_KEY_GROUPS: KeyGroupRange = { start: 0, end: MAX_PARALLELISM - 1 };
/** The operator id of the tests' backends. */
export const OPERATOR = 'op';

/** Keyed states and storage roots that are disposed of after each test. */
export function useKeyedStates(): {
  open(options?: { keyGroupRange?: KeyGroupRange; cacheEntries?: number; preregister?: readonly { operatorId: string; name: string }[] }): Promise<TestKeyedState>;
  root(): string;
} {
  const opened: TestKeyedState[] = [];
  const roots: string[] = [];
  afterEach(async () => {
    for (const state of opened.splice(0)) await state.dispose();
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  return {
    async open(options = {}) {
      const state = await openTestKeyedState({
        maxParallelism: MAX_PARALLELISM,
        keyGroupRange: options.keyGroupRange ?? ALL_KEY_GROUPS,
        operatorId: OPERATOR,
        ...(options.cacheEntries !== undefined && { cacheEntries: options.cacheEntries }),
        ...(options.preregister !== undefined && { preregister: options.preregister }),
      });
      opened.push(state);
      await state.backend.open();
      await state.timers.open();
      return state;
    },
    root() {
      const root = mkdtempSync(join(tmpdir(), 'sluice-chk-'));
      roots.push(root);
      return root;
    },
  };
}

const average = {
  createAccumulator: (): [number, number] => [0, 0],
  add: (value: number, [sum, count]: [number, number]): [number, number] => [sum + value, count + 1],
  getResult: ([sum, count]: [number, number]): number => sum / count,
  merge: (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]],
};

/** One state of each kind. */
export const STATES = {
  value: new ValueStateDescriptor<number>('count'),
  list: new ListStateDescriptor<string>('events'),
  map: new MapStateDescriptor<string, number>('attributes'),
  aggregating: new AggregatingStateDescriptor<number, [number, number], number>('average', average),
};

/** Writes something into every state of a key (the backend must own its key group). */
export function writeKey(backend: LevelDbKeyedStateBackend, key: KeyValue, i: number): void {
  backend.setCurrentKey(key);
  backend.getState(STATES.value).update(i);
  backend.getListState(STATES.list).addAll([`a${i}`, `b${i}`]);
  const map = backend.getMapState(STATES.map);
  map.put('x', i);
  map.put(`y${i % 3}`, -i - 1);
  backend.getAggregatingState(STATES.aggregating).add(i);
}

/** Whether a key's key group is in a range. */
export function owns(range: KeyGroupRange, key: KeyValue): boolean {
  const keyGroup = assignToKeyGroup(key, MAX_PARALLELISM);
  return keyGroup >= range.start && keyGroup <= range.end;
}

/** What a backend holds for the given keys (those in its range), as plain data. */
export function dumpState(backend: LevelDbKeyedStateBackend, keys: readonly KeyValue[]): Map<string, unknown> {
  const dump = new Map<string, unknown>();
  for (const key of keys) {
    if (!owns(backend.keyGroupRange, key)) continue;
    backend.setCurrentKey(key);
    const entry = {
      value: backend.getState(STATES.value).value(),
      list: backend.getListState(STATES.list).get(),
      map: backend.getMapState(STATES.map).entries(),
      aggregating: backend.getAggregatingState(STATES.aggregating).get(),
    };
    if (entry.value !== undefined || entry.list.length > 0 || entry.map.length > 0 || entry.aggregating !== undefined) {
      dump.set(JSON.stringify(key), entry);
    }
  }
  return dump;
}

/** Every stored key of the operator in the backend's database, over all key groups. */
export async function storedKeys(backend: LevelDbKeyedStateBackend): Promise<DecodedStateKey[]> {
  const keys: DecodedStateKey[] = [];
  for await (const batch of backend.db.scanKeys(backend.db.stateIdsOf(OPERATOR), ALL_KEY_GROUPS)) {
    for (const key of batch) keys.push(decodeStateKey(key));
  }
  return keys;
}

/** Fires every timer (event and processing time) and lists them as sorted strings. */
export function fireAll(state: TestKeyedState): string[] {
  const fired: string[] = [];
  const record =
    (domain: string) =>
    (timer: InternalTimer): void => {
      fired.push(`${domain}|${JSON.stringify(timer.key)}|${timer.namespace}|${timer.timestamp}`);
    };
  state.timers.advanceWatermark(Number.POSITIVE_INFINITY, record('event'));
  state.timers.fireProcessingTimers(Number.POSITIVE_INFINITY, record('processing'));
  return fired.sort();
}

/** Snapshots a backend into `root` (synchronous phase, then upload). */
export async function snapshotInto(
  backend: LevelDbKeyedStateBackend,
  root: string,
  checkpointId: number,
  options: Partial<KeyedSnapshotOptions> = {},
): Promise<KeyedStateHandle> {
  const upload = await backend.snapshot({ checkpointId, root, dir: 'shared', full: false, ...options });
  return upload();
}

/** Restores handles into a keyed state (opened by `useKeyedStates`), timers included. */
export async function restoreFrom(state: TestKeyedState, root: string, handles: readonly KeyedStateHandle[]): Promise<void> {
  await state.backend.open();
  await state.backend.restore(handles.map((handle) => ({ root, handle })));
  await state.timers.restore();
}
