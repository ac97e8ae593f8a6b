/**
 * Shared by the state tests: state databases in temporary directories (closed and removed after
 * each test), a seeded PRNG and a mix of keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { KeyValue } from '../../../common/key-groups.ts';
import { LevelDbKeyedStateBackend, type LevelDbKeyedStateBackendOptions } from '../../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { StateDb } from '../../../taskmanager/state/state-db.ts';

/** Max parallelism of the tests' backends. */
export const MAX_PARALLELISM = 128;
/** Every key group. */
export const ALL_KEY_GROUPS = { start: 0, end: MAX_PARALLELISM - 1 };

/** Opens state databases in fresh temporary directories; closes and removes them after each test. */
export function useStateDbs(): { open(dir?: string): Promise<StateDb>; dir(): string } {
  const dirs: string[] = [];
  const dbs: StateDb[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close().catch(() => undefined);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'sluice-state-'));
    dirs.push(d);
    return d;
  };
  return {
    dir,
    async open(at?: string) {
      const db = await StateDb.open(at ?? dir());
      dbs.push(db);
      return db;
    },
  };
}

/** A backend over all key groups (unless overridden), opened. */
export async function openBackend(
  db: StateDb,
  options: Partial<LevelDbKeyedStateBackendOptions> = {},
): Promise<LevelDbKeyedStateBackend> {
  const backend = new LevelDbKeyedStateBackend({
    db,
    operatorId: 'op',
    maxParallelism: MAX_PARALLELISM,
    keyGroupRange: ALL_KEY_GROUPS,
    ...options,
  });
  await backend.open();
  return backend;
}

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] as (typeof items)[number] };
}

/** `count` distinct keys: strings, numbers (some equal to a string's digits) and arrays. */
export function mixedKeys(count: number): KeyValue[] {
  const keys: KeyValue[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0:
        keys.push(`user-${i}`);
        break;
      case 1:
        keys.push(i);
        break;
      case 2:
        keys.push(String(i - 1));
        break;
      default:
        keys.push([`k${i % 7}`, i, ['n\u0000ested', -i]]);
    }
  }
  return keys;
}
