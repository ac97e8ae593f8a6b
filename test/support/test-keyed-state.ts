/** Real LevelDB keyed state in a temporary directory, for operator tests and state benchmarks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InternalTimerServiceImpl } from '../../taskmanager/state/internal-timer-service.ts';
import type { KeyGroupRange } from '../../common/key-groups.ts';
import type { InternalTimerService } from '../../taskmanager/state/keyed-state-backend.ts';
import { LevelDbKeyedStateBackend } from '../../taskmanager/state/leveldb-keyed-state-backend.ts';
import { StateDb } from '../../taskmanager/state/state-db.ts';

/** A backend and its timers, and how to throw them away. */
export interface TestKeyedState {
  readonly backend: LevelDbKeyedStateBackend;
  /** The database directory, removed by `dispose`. */
  readonly dir: string;
  readonly timers: InternalTimerService;
  dispose(): Promise<void>;
}

/** Opens a fresh state database with one backend in it. */
export async function openTestKeyedState(options: {
  maxParallelism: number;
  keyGroupRange: KeyGroupRange;
  cacheEntries?: number;
  clock?: () => number;
  operatorId?: string;
  /**
   * States registered in the fresh database before the backend's own, so that its state ids
   * differ from another database's (as on another TaskManager).
   */
  preregister?: readonly { readonly operatorId: string; readonly name: string }[];
}): Promise<TestKeyedState> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-state-'));
  const db = await StateDb.open(dir);
  for (const { operatorId, name } of options.preregister ?? []) db.stateId(operatorId, name);
  const backend = new LevelDbKeyedStateBackend({
    db,
    operatorId: options.operatorId ?? 'op',
    maxParallelism: options.maxParallelism,
    keyGroupRange: options.keyGroupRange,
    cache: { maxEntries: options.cacheEntries ?? 1000 },
    clock: options.clock,
  });
  return {
    backend,
    dir,
    timers: new InternalTimerServiceImpl(backend),
    async dispose() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
